"""Reading export files: what the loader gets from a file, and the rules it can rely on.

Files are recognised by their content, never by their name: a zip archive is read as an ``.xlsx``
workbook, an OLE2 file is an old ``.xls`` (refused), and anything else is text read as CSV.

**Limits.** ``ReadLimits`` bounds what one file may cost; each limit is checked before the work it
protects (a workbook's unpacked size from the zip's central directory before openpyxl opens it, a
CSV's row count and line length while it is scanned, before DuckDB parses it). A refusal names the
limit. Blank lines and empty styled cells cost next to nothing: they are counted, never stored.

**Encodings** (CSV), decided by content: a UTF-16/UTF-32 byte-order mark; ISO-2022-JP by its escape
sequences in otherwise 7-bit text; else strict UTF-8 (with or without BOM); else CP932 (Shift_JIS as
Excel writes it) or EUC-JP — when both decode, the reading whose characters look like Japanese text
(kana, common kanji) wins, and a file that could be either is refused rather than guessed. A NUL byte
anywhere refuses the file. Text that is not UTF-8 is decoded once into a private temporary directory,
removed in every outcome (``SourceFile.close``).

**CSV semantics** — the one definition both reading paths implement (tests/test_hardening.py proves
they agree on random input):

- The separator is a comma, a tab or a semicolon: the one under which the first non-blank line is a
  recognisable header (a comma when several are).
- A line feed ends a record when an even number of ``"`` precede it in the file; a CR just before that
  line feed, or at the very end of the file, belongs to the line ending.
- A value is either unquoted (no ``"`` and no CR in it) or quoted: ``"`` … ``"`` with each ``"`` inside
  written ``""``; a quoted value may hold separators, CR and LF. An empty value is NULL.
- A record made only of separators, white space and zero-width characters, or whose values are all
  blank, is a *blank line*: skipped and counted, never a row. The header is the first non-blank record.
- Any other record with a ``"`` elsewhere or a bare CR outside quotes is *malformed quoting*; one whose
  number of values differs from the header's (extra empty values too) has a *wrong column count*.
  Both are quarantined with their raw text. An unbalanced ``"`` runs the record to the next balanced
  line feed (or to the end of the file): that whole stretch is one quarantined record.

The fast path: one vectorised scan of the bytes (``_RecordScan``) finds every record, its line, its
number of values and whether its quoting is sound; records it cannot vouch for are classified in
Python by the same function as the exact path (``_classify``), and DuckDB's ``read_csv`` parses only
the sound ones (reading the file in place, or a compacted copy without the others). The exact path
reads every record with Python (``_read_exact``); the loader uses it when DuckDB's rows do not match
the scan.

**Workbooks.** Every sheet is accounted for: a visible sheet whose first non-blank row is a
recognisable header is a part; an empty sheet is ignored; a hidden sheet, or one named in
``skip_sheets``, is skipped and reported (``SourceFile.skipped``); a visible sheet that holds data but
no recognisable header refuses the whole workbook, naming the sheet. Rows are read from the sheet's
XML directly (no padding to the sheet's stated dimension), date serials use the workbook's epoch
(1900 or 1904), and a formula cell without a stored value quarantines its row.

**Staging interface.** ``Part.stage(con, exact=False) -> Staged`` puts one part into a DuckDB
connection and says what it created; the loader uses nothing else (see ``Staged``).
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.lazy_names import lazy_getattr
from pipelines.readers import codes
from pipelines.readers.codes import (
    DEFAULT_LIMITS,
    OLE2_MAGIC,
    REASONS,
    REFUSALS,
    SKIPS,
    ZIP_MAGIC,
    FileRefused,
    Progress,
    ReadLimits,
    _refuse,
    _size_text,
)

if TYPE_CHECKING:
    from pipelines.readers.staging import SourceFile

# The readers themselves (NumPy, Arrow, DuckDB, the workbook readers) load when first used: the
# codes above are all that the words (pipelines.i18n) and a command that reads no file need.
_LAZY = {
    "BLANK_CHARS": "pipelines.jptext",
    "is_blank": "pipelines.jptext",
    "text_clean": "pipelines.jptext",
    "_CsvReader": "pipelines.readers.csv_reader",
    "_open_csv": "pipelines.readers.csv_reader",
    "_RecordScan": "pipelines.readers.csv_scan",
    "register_functions": "pipelines.readers.csv_scan",
    "Part": "pipelines.readers.staging",
    "Reject": "pipelines.readers.staging",
    "Skipped": "pipelines.readers.staging",
    "SourceFile": "pipelines.readers.staging",
    "Staged": "pipelines.readers.staging",
    "_Scratch": "pipelines.readers.staging",
    "_cell_text": "pipelines.readers.xlsx",
    "_open_xlsx": "pipelines.readers.xlsx",
}
_SUBMODULES = ("csv_reader", "csv_scan", "encodings", "staging", "xlsx", "xlsx_fast")


__getattr__ = lazy_getattr(__name__, _LAZY, _SUBMODULES)  # a reader's name or submodule


# ------------------------------------------------------------------------------------ opening


def check_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse, by name, a path that is not a non-empty readable file within the size limit."""
    try:
        if not path.exists():
            raise _refuse(path.name, "FILE_NOT_FOUND")
        if path.is_dir():
            raise _refuse(path.name, "IS_FOLDER")
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path.name, "FILE_UNREADABLE", error=exc.strerror or str(exc)) from None
    if size == 0:
        raise _refuse(path.name, "FILE_EMPTY")
    if size > limits.max_file_bytes:
        raise _refuse(
            path.name,
            "LIMIT_FILE_BYTES",
            size=_size_text(size),
            limit=_size_text(limits.max_file_bytes),
        )


def open_source(
    path: str | Path,
    sha256: str,
    progress: Progress | None = None,
    *,
    limits: ReadLimits | None = None,
    skip_sheets: Iterable[str] = (),
) -> SourceFile:
    """Check and recognise one export file whose sha256 is known; FileRefused when unreadable.

    The caller must close() the result; on a refusal nothing is left behind.
    """
    from pipelines.readers.csv_reader import _open_csv
    from pipelines.readers.staging import SourceFile, _Scratch

    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    check_file(path, limits)
    name = path.name
    size = path.stat().st_size
    scratch = _Scratch()
    try:
        try:
            with path.open("rb") as fh:
                head = fh.read(65536)
        except OSError as exc:
            raise _refuse(name, "FILE_UNREADABLE", error=exc.strerror or str(exc)) from None
        if head.startswith(ZIP_MAGIC):
            from pipelines.readers.xlsx import _open_xlsx  # a CSV needs none of it (~60 ms)

            parts, skipped = _open_xlsx(path, name, size, progress, limits, set(skip_sheets))
        elif head.startswith(OLE2_MAGIC):
            raise _refuse(name, "OLD_XLS")
        elif path.suffix.lower() in (".xlsx", ".xlsm") and _is_text(head):
            raise _refuse(name, "TEXT_NAMED_XLSX")
        else:
            parts, skipped = [_open_csv(path, name, head, progress, limits, scratch)], []
        return SourceFile(path, name, sha256, size, parts, skipped, scratch)
    except OSError as exc:
        scratch.close()
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _refuse(name, "NO_TEMP_SPACE", error=exc.strerror or str(exc)) from None
        raise _refuse(name, "FILE_UNREADABLE", error=exc.strerror or str(exc)) from None
    except BaseException:
        scratch.close()
        raise


def _is_text(head: bytes) -> bool:
    return b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff"))


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (hashlib releases the GIL, so this runs well in a thread)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(codes.CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = [
    "BLANK_CHARS",
    "DEFAULT_LIMITS",
    "REASONS",
    "REFUSALS",
    "SKIPS",
    "FileRefused",
    "Part",
    "ReadLimits",
    "Reject",
    "Skipped",
    "SourceFile",
    "Staged",
    "_CsvReader",
    "_RecordScan",
    "_Scratch",
    "_cell_text",
    "check_file",
    "file_sha256",
    "is_blank",
    "open_source",
    "register_functions",
    "text_clean",
]
