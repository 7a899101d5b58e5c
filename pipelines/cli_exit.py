"""How the CLI ends: one message (no traceback) and an exit code for every failure and signal,
every printed line escaped for the terminal (pipelines.untrusted)."""

from __future__ import annotations

import argparse
import os
import sys

from pipelines import interrupts
from pipelines.i18n import LANGS, cli_error_text, t
from pipelines.untrusted import for_terminal

EXIT_BAD_INPUT = 2
EXIT_BUSY = 75
EXIT_INTERRUPTED = 130  # 128 + SIGINT; SIGTERM gives 143
UNCHANGED = "Nothing was changed; the database is unchanged."


def say(*parts: object, sep: str = " ", err: bool = False) -> None:
    """Print to stdout (or stderr) with every control character escaped (pipelines.untrusted)."""
    print(for_terminal(sep.join(str(p) for p in parts)), file=sys.stderr if err else sys.stdout)


def cli_lang(args: argparse.Namespace) -> str:
    """The language of a command's sentences: its --lang (or a people command's --lang-out), else
    the office's language setting (default ja; an unreadable settings file gives ja, and the
    command reports it)."""
    lang = getattr(args, "lang", None) or getattr(args, "lang_out", None)
    if lang in LANGS:
        return lang
    from pipelines.settings import SettingsError, load_settings

    try:
        value = getattr(load_settings(), "language", "ja")
    except SettingsError:  # the command itself reports the settings; its messages stay readable
        value = "ja"
    return value if value in LANGS else "ja"


def interrupted(signum: int, args: argparse.Namespace) -> int:
    """The message and exit code for Ctrl-C or SIGTERM, saying whether the database changed."""
    lang = cli_lang(args)
    if not interrupts.swap_completed():
        say("\n" + t("cli.interrupted", lang), err=True)
        return 128 + signum
    if args.command in ("load", "sample"):  # only printing was left: the load is complete
        say("\n" + t("cli.interrupted_after_swap", lang, path=args.db), err=True)
        return 0
    say("\n" + t("cli.interrupted_upgraded", lang), err=True)
    return 128 + signum


def _error(text: str, lang: str, unchanged: bool = False) -> None:
    """One error line in lang ("error: …"), with "the database is unchanged" when asked."""
    said = t("cli.error", lang, text=text)
    if unchanged:
        said += ("" if lang == "ja" else " ") + t("cli.unchanged", lang)
    say(said, err=True)


def _raised(exc: BaseException, *classes: str) -> bool:
    """Whether exc is one of the "module:Class" exceptions. Only modules already imported are
    looked at: a module the command never imported cannot have raised, and a failing command
    should not import the rest of the program (its accounts, its readers) to say so."""
    for spec in classes:
        module, _, name = spec.partition(":")
        found = getattr(sys.modules.get(module), name, None)
        if isinstance(found, type) and isinstance(exc, found):
            return True
    return False


def failed(exc: BaseException, args: argparse.Namespace) -> int:
    """Say what went wrong in one message in the command's language (no traceback) and return the
    exit code; re-raise the unexpected."""
    lang = cli_lang(args)
    worded = cli_error_text(exc, lang, path=getattr(args, "db", ""))
    store = "pipelines.store:"
    if _raised(exc, "pipelines.readers.codes:FileRefused"):
        say(f"{t('cli.error', lang, text=worded)}\n{t('cli.unchanged', lang)}", err=True)
        return EXIT_BAD_INPUT
    if _raised(exc, store + "LoadBusy"):
        _error(worded, lang)
        return EXIT_BUSY
    if _raised(exc, "pipelines.settings:SettingsError"):
        _error(t("cli.err.bad_settings", lang, text=worded), lang)
        return EXIT_BAD_INPUT
    database = ("DatabaseMissing", "DatabaseTooNew", "NotADatabase", "DatabaseReadOnly")
    if _raised(exc, *(store + name for name in database), "pipelines.export:OutputFailed"):
        _error(worded, lang)
        return EXIT_BAD_INPUT
    if _raised(exc, "pipelines.office.marks:MarkError"):
        from pipelines import work_cli

        _error(work_cli.error_text(exc, lang), lang)  # type: ignore[arg-type]
        return EXIT_BAD_INPUT
    if _raised(
        exc, "pipelines.office.accounts:AccountError", "pipelines.office.store:OfficeStoreError"
    ):
        from pipelines.office import cli as people

        _error(people.error_text(exc, people.office_lang(args)), lang)  # type: ignore[arg-type]
        return EXIT_BAD_INPUT
    if isinstance(exc, MemoryError):
        _error(t("cli.err.memory", lang), lang, unchanged=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        _error(t("cli.err.os", lang, where=where, problem=exc.strerror or exc), lang, True)
        return EXIT_BAD_INPUT
    if _raised(exc, "duckdb:Error"):
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _error(t("cli.err.duckdb", lang, detail=first), lang, unchanged=True)
        return EXIT_BAD_INPUT
    raise exc


def quiet_stdout() -> None:
    """The reader of stdout went away (e.g. `| head`): send the rest of the output nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
