"""Altair for the charts and the digest, imported without a grammar compiler nothing here uses.

jsonschema (Altair's validator) imports ``rfc3987_syntax`` when it is installed (Jupyter's extras
install it) to check the "iri" string format; that module compiles 38 Lark grammars at import: about
1 CPU-second of every process's first chart (a server's first Overview, each test worker, the
digest command). The Vega-Lite schema names no "iri" format, so the check is never asked for; marked
absent, jsonschema leaves that one format unchecked and everything else as it was.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "not installed"

import altair as alt  # noqa: E402  (after the line above)

__all__ = ["alt"]
