"""Errors that carry a code and parameters, so the CLI and pages word them in the reader's language.

``coded(exc, code, **params)`` sets ``exc.code`` and ``exc.params`` and returns exc; the English text
the exception was raised with stays its ``str()`` (logs, tests). ``pipelines.i18n.cli_error_text``
words ``cli.err.<code>`` from the parameters.
"""

from __future__ import annotations

from typing import TypeVar

E = TypeVar("E", bound=BaseException)


def coded(exc: E, code: str, **params: object) -> E:
    """The exception exc with a wording code and its parameters attached (no units)."""
    exc.code = code  # type: ignore[attr-defined]
    exc.params = params  # type: ignore[attr-defined]
    return exc
