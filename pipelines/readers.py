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

import codecs
import contextlib
import errno
import hashlib
import itertools
import os
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.columns import ZERO_WIDTH, FileLayout, HeaderError, recognise_header

CHUNK_BYTES = 16 * 1024 * 1024  # read, hash and decode in pieces of this size
SCAN_BYTES = 16 * 1024 * 1024  # the record scan's piece
DENSE_BYTES = 256 * 1024  # its piece for very short lines (the scan keeps 8 bytes a line)
DATE_COLUMNS = ("received_at", "requested_for", "event_at")
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # compound file (old .xls, .doc)
MiB = 1024 * 1024
GiB = 1024 * MiB
Progress = Callable[[int], None]

# White space of every kind (what str.isspace() accepts, less the ASCII file/group/record/unit
# separators) and zero-width characters: a value made only of these is blank. parse.sql's
# blank_text() and jp_fold() use the same two sets (tests/test_hardening.py checks they agree).
WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
BLANK_CHARS = WHITESPACE + ZERO_WIDTH
SEPARATORS = (",", "\t", ";")  # in order of preference


# ------------------------------------------------------------------------------ codes and wording

# Every refusal: code -> English template (str.format with FileRefused.params). Translations key on
# the code; the English message stays what FileRefused says.
REFUSALS: dict[str, str] = {
    "FILE_NOT_FOUND": "file not found",
    "IS_FOLDER": "is a folder, not a file",
    "FILE_UNREADABLE": "cannot be read ({error})",
    "FILE_EMPTY": "the file is empty",
    "NO_TEMP_SPACE": "no room in the temporary folder for its decoded copy ({error})",
    "NO_HEADER": "the file is empty (no header row)",
    "HEADER_TOO_LATE": "no header row in the first {size}: the file starts with blank lines",
    "HEADER_UNRECOGNISED": "{detail}",
    "HEADER_MALFORMED": "the header row has malformed quoting: {detail}",
    "CR_LINE_ENDINGS": (
        "lines end with a bare CR (old Mac format): save it again with Windows (CRLF) or "
        "Unix (LF) line endings"
    ),
    "NUL_BYTES": "contains NUL bytes (line {line}): this is a binary file, not a CSV export",
    "UTF16_WITHOUT_BOM": (
        "looks like UTF-16 text without a byte-order mark: save it again as UTF-8 (or as Excel's "
        "'Unicode text')"
    ),
    "MIXED_ENCODINGS": (
        "cannot be decoded: mixes encodings — UTF-8 text up to line {line}, then bytes that are "
        "not UTF-8; re-export the file in one encoding"
    ),
    "UNDECODABLE": (
        "cannot be decoded: not UTF-8 (bad bytes on line {utf8_line}) and not CP932/Shift_JIS "
        "or EUC-JP"
    ),
    "BAD_BYTES": "cannot be decoded: not valid {encoding} (bad bytes on line {line})",
    "AMBIGUOUS_ENCODING": (
        "cannot tell whether the text is Shift_JIS (CP932) or EUC-JP: save it again as UTF-8"
    ),
    "EUC_JP_UNDECODABLE": (
        "looks like EUC-JP but holds characters that cannot be decoded: save it again as UTF-8"
    ),
    "OLD_XLS": "old .xls workbooks are not supported: save as .xlsx or CSV",
    "TEXT_NAMED_XLSX": (
        "not a zip archive, so not an .xlsx workbook: it is a text file — rename it to .csv to "
        "load it as CSV"
    ),
    "BAD_WORKBOOK": "not a readable .xlsx workbook ({error})",
    "SHEET_UNREADABLE": "sheet {sheet!r} cannot be read ({error})",
    "SHEET_UNRECOGNISED": (
        "sheet {sheet!r} holds data but {detail}; delete the sheet or skip it (--skip-sheet {sheet})"
    ),
    "NO_SHEET_WITH_DATA": "the workbook has no sheet with data",
    "ALL_SHEETS_SKIPPED": "nothing to load: every sheet with data is skipped ({sheets})",
    "LIMIT_FILE_BYTES": "is {size}, more than the limit of {limit} (max_file_bytes)",
    "LIMIT_ROWS": "has more than {limit:,} data rows (limit max_rows)",
    "LIMIT_COLUMNS": "has {found:,} header columns, more than the limit of {limit:,} (max_columns)",
    "LIMIT_LINE_BYTES": (
        "the record starting on line {line} is longer than the limit of {limit} (max_line_bytes); "
        'an unbalanced quote mark (") can join many lines into one'
    ),
    "LIMIT_XLSX_BYTES": "unpacks to {size}, more than the limit of {limit} (max_xlsx_bytes)",
    "LIMIT_XLSX_RATIO": (
        "its part {member} unpacks {ratio:,.0f} times larger than it is stored, more than the limit "
        "of {limit:,} (max_xlsx_ratio): it looks like a zip bomb"
    ),
    "LIMIT_XLSX_MEMBERS": "has {found:,} parts, more than the limit of {limit:,} (max_xlsx_members)",
}

# Every quarantine reason: code -> English template. {column} is the column at fault, {value} the
# text it held (the first 60 characters). SQL (load.sql) writes the same sentences.
REASONS: dict[str, str] = {
    "REQUIRED_BLANK": "required value is blank",
    "DATE_UNREADABLE": 'cannot read date/time "{value}"',
    "DATE_NO_SUCH_DAY": 'cannot read date/time "{value}" (no such day)',
    "TIME_IMPOSSIBLE": 'cannot read date/time "{value}" (no such time of day)',
    "OFFSET_IMPOSSIBLE": 'cannot read date/time "{value}" (impossible UTC offset)',
    "DATE_OUT_OF_RANGE": 'date out of range ({first}–{last}) "{value}"',
    "EVENT_UNKNOWN": 'unknown event kind "{value}" (expected {expected})',
    "AMOUNT_NOT_INTEGER": 'not a whole number of yen "{value}"',
    "AMOUNT_NEGATIVE": "negative amount ({value})",
    "MINUTES_NOT_INTEGER": 'not a whole number of minutes "{value}"',
    "MINUTES_NEGATIVE": "negative minutes ({value})",
    "MINUTES_TOO_MANY": "implausibly many minutes ({value} > 100000)",
    "WRONG_COLUMN_COUNT": "wrong column count: {found} values where the header has {width}",
    "MALFORMED_QUOTING": (
        'malformed quoting: a quote mark (") outside a properly quoted value; a value that holds '
        '" must be quoted, with each " doubled'
    ),
    "UNTERMINATED_QUOTE": (
        'malformed quoting: a quote mark (") opens a value that never closes (the row runs to the '
        "end of the file)"
    ),
    "BARE_CR": (
        "malformed line break: a CR outside quotes inside the row (a value with line breaks must be "
        "quoted)"
    ),
    "FORMULA_WITHOUT_VALUE": (
        "formula {value} has no stored value (open the workbook in Excel and save it, so that "
        "its values are calculated)"
    ),
}

SKIPS: dict[str, str] = {
    "SHEET_HIDDEN": "hidden sheet, not loaded",
    "SHEET_SKIPPED": "skipped as asked (skip_sheets)",
}


def _size_text(n: int) -> str:
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


class FileRefused(ValueError):
    """A whole file cannot be read; the message names the file and the problem.

    ``code`` is one of REFUSALS and ``params`` fill its template, for wording in other languages.
    """

    def __init__(
        self,
        name: str,
        problem: str | None = None,
        *,
        code: str = "FILE_UNREADABLE",
        **params: object,
    ) -> None:
        if problem is None:
            problem = REFUSALS[code].format(**params)
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
        self.code = code
        self.params = params


def _refuse(name: str, code: str, **params: object) -> FileRefused:
    return FileRefused(name, code=code, **params)


@dataclass(frozen=True)
class ReadLimits:
    """What one file may cost. Each limit is checked before the work it protects."""

    max_file_bytes: int = 2 * GiB  # the file as stored
    max_rows: int = 10_000_000  # data rows of one CSV file or one sheet
    max_columns: int = 500  # header cells
    max_line_bytes: int = 1 * MiB  # one CSV record (a quoted value may span lines)
    max_xlsx_bytes: int = 256 * MiB  # all parts of a workbook, unpacked
    max_xlsx_ratio: int = 100  # unpacked ÷ stored size of any part larger than 1 MiB unpacked
    max_xlsx_members: int = 10_000  # parts in the workbook's zip archive


DEFAULT_LIMITS = ReadLimits()


# ------------------------------------------------------------------------------ the staging interface


@dataclass(frozen=True)
class Reject:
    """A record that is no row: it could not be split into the header's values, or a cell is unusable."""

    line: int  # physical line (CSV) or row number (sheet) where it starts
    raw: str  # the record as it was in the file
    code: str  # one of REASONS
    reason: str  # English
    column: str | None = None  # the column at fault, when one is


class Staged:
    """What ``Part.stage()`` put into a connection — the whole contract between reader and loader.

    - ``relation``: the name of a temporary table or view with columns ``c0 … c{width-1}`` (VARCHAR,
      NULL for an empty value), one row per record in file order. Scan it once, in order (for example
      ``CREATE TABLE … AS SELECT … FROM relation``).
    - ``lines(rows)``: after that scan produced ``rows`` rows, the line (CSV) or row number (sheet) of
      each, as an int64 array; ``None`` when the fast reading disagreed with the byte scan — then
      ``close()`` and stage the part again with ``exact=True``.
    - ``rejects``: records that are no rows, with their reasons (quarantine them).
    - ``blank_rows``: blank lines skipped. Rows of the relation whose values are all blank are
      blank lines too; the loader counts those (``blank_text()`` in parse.sql decides).
    - ``close()``: drop what was created (``rejects`` and ``blank_rows`` stay readable).
    """

    relation: str
    rejects: list[Reject]
    blank_rows: int

    def lines(self, rows: int) -> np.ndarray | None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


_names = itertools.count(1)


def _fresh_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_names)}"


class _TableStaged(Staged):
    """Rows already split in Python (a sheet, or a CSV read exactly), as a temporary table."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        width: int,
        batches: list[pa.RecordBatch],
        line_numbers: np.ndarray,
        rejects: list[Reject],
        blank_rows: int,
    ) -> None:
        self.con = con
        self.relation = _fresh_name("staged_rows")
        self.rejects = rejects
        self.blank_rows = blank_rows
        self._lines = line_numbers
        schema = pa.schema([(f"c{i}", pa.string()) for i in range(width)])
        table = pa.Table.from_batches(batches, schema=schema)
        arrow_name = _fresh_name("staged_arrow")
        con.register(arrow_name, table)
        try:
            con.execute(f"CREATE TEMP TABLE {self.relation} AS SELECT * FROM {arrow_name}")
        finally:
            con.unregister(arrow_name)

    def lines(self, rows: int) -> np.ndarray | None:
        return self._lines if rows == len(self._lines) else None

    def close(self) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {self.relation}")


class _RowBuffer:
    """Rows of text cells gathered into Arrow batches (far smaller than lists of Python lists)."""

    BATCH = 65536

    def __init__(self, width: int) -> None:
        self.width = width
        self.pending: list[list[str | None]] = []
        self.batches: list[pa.RecordBatch] = []
        self.lines: list[int] = []

    def add(self, line: int, cells: list[str | None]) -> None:
        self.pending.append(cells)
        self.lines.append(line)
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        columns = list(zip(*self.pending, strict=True))
        self.batches.append(
            pa.RecordBatch.from_arrays(
                [pa.array(col, type=pa.string()) for col in columns],
                names=[f"c{i}" for i in range(self.width)],
            )
        )
        self.pending = []

    def stage(
        self, con: duckdb.DuckDBPyConnection, rejects: list[Reject], blank_rows: int
    ) -> _TableStaged:
        self.flush()
        lines = np.asarray(self.lines, dtype=np.int64)
        return _TableStaged(con, self.width, self.batches, lines, rejects, blank_rows)


class _Reader:
    def stage(
        self, con: duckdb.DuckDBPyConnection, exact: bool
    ) -> Staged:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class Part:
    """One loadable table inside a file: a CSV file, or one sheet of a workbook."""

    name: str
    sheet: str | None
    encoding: str
    layout: FileLayout
    reader: _Reader = field(repr=False)
    separator: str = ","

    def stage(self, con: duckdb.DuckDBPyConnection, exact: bool = False) -> Staged:
        """Put this part's records into con (see ``Staged``); exact=True reads every record in Python."""
        return self.reader.stage(con, exact)


@dataclass(frozen=True)
class Skipped:
    """A sheet of a workbook that was not loaded, and why (a code of SKIPS)."""

    sheet: str
    code: str

    @property
    def reason(self) -> str:
        return SKIPS[self.code]


class _Scratch:
    """A private temporary directory (mode 0700) for decoded copies, made on first use.

    ``close()`` removes it; the loader calls it in ``finally`` whatever the outcome. A directory left
    by a process that was killed outright is removed by the next reader in any process.
    """

    PREFIX = "opsdash-read-"

    def __init__(self) -> None:
        self.path: Path | None = None
        self._count = itertools.count(1)

    def file(self, suffix: str) -> Path:
        if self.path is None:
            _remove_stale_scratch()
            self.path = Path(tempfile.mkdtemp(prefix=f"{self.PREFIX}{os.getpid()}-"))
        return self.path / f"{next(self._count)}{suffix}"

    def close(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


def _remove_stale_scratch() -> None:
    """Remove scratch directories of processes that no longer exist (killed before their finally)."""
    with contextlib.suppress(OSError):
        for entry in Path(tempfile.gettempdir()).glob(f"{_Scratch.PREFIX}*"):
            try:
                pid = int(entry.name[len(_Scratch.PREFIX) :].split("-", 1)[0])
                if entry.stat().st_uid != os.getuid() or pid == os.getpid():
                    continue
                os.kill(pid, 0)
            except ProcessLookupError:
                shutil.rmtree(entry, ignore_errors=True)
            except (ValueError, OSError):
                continue


@dataclass
class SourceFile:
    """A file that has been checked, recognised and read as far as needed; ready to stage."""

    path: Path
    name: str
    sha256: str
    size_bytes: int
    parts: list[Part]
    skipped: list[Skipped] = field(default_factory=list)
    scratch: _Scratch = field(default_factory=_Scratch, repr=False)

    def close(self) -> None:
        """Remove every temporary file made while reading (decoded copies of the text)."""
        self.scratch.close()


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
        while chunk := fh.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------- CSV: values


class _Bad(str):
    """Why a record could not be split (a REASONS code)."""


_MALFORMED = _Bad("MALFORMED_QUOTING")
_UNTERMINATED = _Bad("UNTERMINATED_QUOTE")
_BARE_CR = _Bad("BARE_CR")


def _split(text: str, sep: str) -> list[str | None] | _Bad:
    """The values of one record (its line ending removed), or why it cannot be split."""
    if '"' not in text:
        if "\r" in text:
            return _BARE_CR
        return [v or None for v in text.split(sep)]
    values: list[str | None] = []
    i, n = 0, len(text)
    while True:
        if i < n and text[i] == '"':
            pieces: list[str] = []
            j = i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    return _UNTERMINATED
                pieces.append(text[j:k])
                if k + 1 < n and text[k + 1] == '"':
                    pieces.append('"')
                    j = k + 2
                    continue
                break
            value = "".join(pieces)
            i = k + 1
            if i < n and text[i] != sep:
                return _MALFORMED
        else:
            k = text.find(sep, i)
            end = n if k < 0 else k
            value = text[i:end]
            if '"' in value:
                return _MALFORMED
            if "\r" in value:
                return _BARE_CR
            i = end
        values.append(value or None)
        if i >= n:
            return values
        i += 1  # past the separator


def is_blank(value: str | None) -> bool:
    """A value that holds nothing but white space and zero-width characters (or nothing)."""
    return value is None or not value.strip(BLANK_CHARS)


_ZW_RE = "[" + ZERO_WIDTH + "]"


def _holds_zero_width(values: pa.Array) -> bool:
    """Whether any value of an Arrow string array holds a zero-width character (a byte search:
    E2 80 8B-8D, E2 81 A0, EF BB BF)."""
    data = values.buffers()[2]
    if data is None:
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    if len(raw) < 3:
        return False
    leads = np.flatnonzero((raw[:-2] == 0xE2) | (raw[:-2] == 0xEF))
    if not len(leads):
        return False
    lead, second, third = raw[leads], raw[leads + 1], raw[leads + 2]
    e2 = (lead == 0xE2) & (
        ((second == 0x80) & (third >= 0x8B) & (third <= 0x8D))
        | ((second == 0x81) & (third == 0xA0))
    )
    ef = (lead == 0xEF) & (second == 0xBB) & (third == 0xBF)
    return bool((e2 | ef).any())


def text_clean(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text without zero-width characters and surrounding white space ('' when nothing is left).

    Vectorised (Arrow), for DuckDB as the function text_clean(); `register_functions` adds it.
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    if any(_holds_zero_width(chunk) for chunk in chunks):
        values = pc.replace_substring_regex(values, _ZW_RE, "")
    return pc.utf8_trim(values, BLANK_CHARS)


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Give a connection text_clean() (load.sql uses it); harmless when it has it already.

    DuckDB's trim(s, characters) costs time in proportion to the set of characters for every
    value; this Arrow kernel costs little more than a plain trim().
    """
    [(have,)] = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'text_clean'"
    ).fetchall()
    if not have:
        con.create_function("text_clean", text_clean, ["VARCHAR"], "VARCHAR", type="arrow")


_ROW = "row"
_BLANK = "blank"


def _classify(
    text: str, sep: str, width: int, line: int
) -> tuple[str, list[str | None] | Reject | None]:
    """The outcome of one record: a row of `width` values, a blank line, or a reject."""
    if not text.strip(BLANK_CHARS + sep):
        return _BLANK, None
    values = _split(text, sep)
    if isinstance(values, _Bad):
        return "reject", Reject(line, text, str(values), REASONS[values])
    if all(is_blank(v) for v in values):
        return _BLANK, None
    if len(values) != width:
        reason = REASONS["WRONG_COLUMN_COUNT"].format(found=len(values), width=width)
        return "reject", Reject(line, text, "WRONG_COLUMN_COUNT", reason)
    return _ROW, values


# ----------------------------------------------------------------------------- CSV: encodings


class _BadEncoding(Exception):
    def __init__(self, line: int, after_valid_text: bool = False) -> None:
        self.line = line
        self.after_valid_text = after_valid_text  # valid multi-byte text came before the bad bytes


class _Restart(Exception):
    """The text turned out to be in another encoding (ISO-2022-JP escapes in 7-bit text)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding


_ISO2022_ESCAPE = re.compile(rb"\x1b(?:\$[@B]|\$\(D|\([BJI])")
_ISO2022_CODECS = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004")


def _stream_decode(path: Path, encoding: str, sink: Callable[[bytes, str], None]) -> None:
    """Strictly decode a file chunk by chunk, handing each chunk's bytes and text to sink."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    non_ascii_before = False
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                prefix = chunk[: max(exc.start - 3, 0)]
                mixed = non_ascii_before or not prefix.isascii()
                raise _BadEncoding(_line_at(path, offset + exc.start), mixed) from None
            non_ascii_before = non_ascii_before or not chunk.isascii()
            offset += len(chunk)
            sink(chunk, text)
        try:
            sink(b"", decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise _BadEncoding(_line_at(path, offset)) from None


def _utf8_boundary(data: bytes | memoryview) -> int:
    """The length of the longest prefix of data that does not end inside a UTF-8 character."""
    n = len(data)
    for back in range(1, min(4, n) + 1):
        byte = data[n - back]
        if byte < 0x80:
            return n
        if byte >= 0xC0:  # the lead byte of the last character
            size = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return n if back >= size else n - back
    return n


def _utf8_valid(data: bytes | memoryview) -> bool:
    """Strict UTF-8 check without building a Python string (Arrow's validation is vectorised)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    binary = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        binary.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _stream_utf8(path: Path, sink: _TextPass) -> None:
    """Strictly check a UTF-8 file piece by piece, handing the bytes (and, while the sink still
    wants them, the decoded text) to sink. Raises _BadEncoding like _stream_decode."""
    offset = 0
    non_ascii_before = False
    carry = b""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            pieces: list[bytes | memoryview] = []
            view = memoryview(chunk)
            if carry:  # a character split by the previous read, completed by this one
                take = min(len(view), 4 - len(carry))
                joined = carry + bytes(view[:take])
                done = _utf8_boundary(joined)
                if done <= len(carry) and len(joined) < 4:
                    carry = joined
                    continue
                pieces.append(joined[:done])
                view = view[done - len(carry) :]
                carry = b""
            cut = _utf8_boundary(view)
            pieces.append(view[:cut])
            carry = bytes(view[cut:])
            for piece in pieces:
                if sink.wants_text or not _utf8_valid(piece):
                    try:
                        text = codecs.utf_8_decode(piece, "strict", True)[0]
                    except UnicodeDecodeError as exc:
                        mixed = (
                            non_ascii_before or not bytes(piece[: max(exc.start - 3, 0)]).isascii()
                        )
                        raise _BadEncoding(_line_at(path, offset + exc.start), mixed) from None
                else:
                    text = None
                non_ascii_before = non_ascii_before or not _is_ascii(piece)
                offset += len(piece)
                sink(piece, text)
    if carry:
        raise _BadEncoding(_line_at(path, offset))  # the file ends inside a character
    sink(b"", "")


def _is_ascii(data: bytes | memoryview) -> bool:
    return not (np.frombuffer(data, dtype=np.uint8) >= 0x80).any()


def _line_at(path: Path, offset: int) -> int:
    """The 1-based line number of a byte offset (only read when reporting a problem)."""
    lines = 1
    with path.open("rb") as fh:
        while offset > 0 and (chunk := fh.read(min(CHUNK_BYTES, offset))):
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines


def _utf16_without_bom(head: bytes) -> bool:
    """Mostly ASCII text written as UTF-16: every other byte is NUL."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    return (zeros_odd > 0.9 and zeros_even < 0.1) or (zeros_even > 0.9 and zeros_odd < 0.1)


def _euc_jp_shaped(sample: bytes) -> bool:
    """High bytes only in EUC-JP's ranges (0xA1-0xFE, and the 0x8E/0x8F prefixes): never CP932's
    lead bytes 0x81-0x9F other than those two."""
    raw = np.frombuffer(sample, dtype=np.uint8)
    high = raw[raw >= 0x80]
    if not len(high):
        return False
    outside = (high <= 0x8D) | ((high >= 0x90) & (high <= 0xA0)) | (high == 0xFF)
    return not outside.any()


def _japanese_score(text: str) -> float:
    """How much a decoding looks like Japanese text: mean weight of its non-ASCII characters.

    Kana, JIS level-1 kanji and CJK punctuation weigh 1; level-2 kanji and half-width katakana 0.5;
    private-use, box-drawing, Greek and Cyrillic letters -1 (what a wrong decoding produces).
    """
    counts = Counter(ch for ch in text if ch > "\x7f")
    total = sum(counts.values())
    if not total:
        return 0.0
    score = 0.0
    for ch, n in counts.items():
        cp = ord(ch)
        if 0x3040 <= cp <= 0x30FF or 0x3000 <= cp <= 0x303F or 0xFF01 <= cp <= 0xFF5E:
            weight = 1.0
        elif 0x4E00 <= cp <= 0x9FFF:
            try:
                lead = ch.encode("euc_jp")[0]
            except UnicodeEncodeError:
                lead = 0
            weight = 1.0 if 0xB0 <= lead <= 0xCF else 0.5
        elif 0xFF61 <= cp <= 0xFF9F:
            weight = 0.5
        elif 0xE000 <= cp <= 0xF8FF or 0x0370 <= cp <= 0x04FF or 0x2500 <= cp <= 0x257F:
            weight = -1.0
        else:
            weight = 0.0
        score += weight * n
    return score / total


def _legacy_encoding(path: Path, name: str, utf8_line: int) -> str:
    """CP932 or EUC-JP for a file that is not UTF-8, decided on its first MiB; refuse when unsure."""
    with path.open("rb") as fh:
        sample = fh.read(MiB)
        if fh.read(1):
            sample = sample[: sample.rfind(b"\n") + 1] or sample
    decodings: dict[str, str] = {}
    for encoding in ("cp932", "euc_jp"):
        with contextlib.suppress(UnicodeDecodeError):
            decodings[encoding] = sample.decode(encoding)
    if not decodings:
        raise _refuse(name, "UNDECODABLE", utf8_line=utf8_line)
    if len(decodings) == 1:
        [encoding] = decodings
        if (
            encoding == "cp932"
            and _euc_jp_shaped(sample)
            and _japanese_score(decodings["cp932"]) < 0.75
        ):
            raise _refuse(name, "EUC_JP_UNDECODABLE")
        return encoding
    cp932, euc = _japanese_score(decodings["cp932"]), _japanese_score(decodings["euc_jp"])
    if euc > cp932 + 0.15:
        return "euc_jp"
    if cp932 > euc + 0.15:
        return "cp932"
    raise _refuse(name, "AMBIGUOUS_ENCODING")


# ---------------------------------------------------------------------------- CSV: the header


_LEADING_BLANK = re.compile(f"(?:[{re.escape(BLANK_CHARS.replace(chr(10), ''))},;]*\n)*")


@dataclass
class _Header:
    start: int  # byte offset of the header record in the UTF-8 text
    lines_before: int  # blank lines before it
    separator: str
    layout: FileLayout


def _find_header(text: str, name: str, complete: bool, limits: ReadLimits) -> _Header | None:
    """The header: the first non-blank record of the text; None when the text holds none yet."""
    m = _LEADING_BLANK.match(text)
    pos = m.end() if m else 0
    if not text[pos:].strip(BLANK_CHARS + ",;"):
        if complete:
            raise _refuse(name, "NO_HEADER")
        return None
    end, quotes = pos, 0
    while True:
        nl = text.find("\n", end)
        if nl < 0:
            if not complete:
                return None  # the header record continues in the next chunk
            record_end = len(text)
            break
        quotes += text.count('"', end, nl)
        if quotes % 2 == 0:
            record_end = nl
            break
        end = nl + 1
    record = text[pos:record_end]
    if record.endswith("\r"):
        record = record[:-1]
    record = record.lstrip("\ufeff")
    separator, layout = _header_layout(record, name, limits)
    return _Header(
        start=len(text[:pos].encode("utf-8")),
        lines_before=text.count("\n", 0, pos),
        separator=separator,
        layout=layout,
    )


def _header_layout(record: str, name: str, limits: ReadLimits) -> tuple[str, FileLayout]:
    """The separator under which the header record is recognisable, and its layout."""
    found: list[tuple[int, int, str, FileLayout]] = []
    errors: list[tuple[int, str]] = []
    for rank, separator in enumerate(SEPARATORS):
        values = _split(record, separator)
        if isinstance(values, _Bad):
            if values == _BARE_CR:
                raise _refuse(name, "CR_LINE_ENDINGS")
            if separator == ",":
                raise _refuse(name, "HEADER_MALFORMED", detail=REASONS[values])
            continue
        cells = ["" if v is None else v for v in values]
        if len(cells) > limits.max_columns:
            raise _refuse(name, "LIMIT_COLUMNS", found=len(cells), limit=limits.max_columns)
        try:
            layout = recognise_header(cells)
        except HeaderError as exc:
            errors.append((len(cells), str(exc)))
            continue
        found.append((len(layout.columns), -rank, separator, layout))
    if found:
        _, _, separator, layout = max(found, key=lambda f: f[:2])
        return separator, layout
    detail = max(errors, key=lambda e: e[0])[1]
    raise _refuse(name, "HEADER_UNRECOGNISED", detail=detail)


# ----------------------------------------------------------------------------- CSV: the scan

# flag bits of a data record
F_BAD_QUOTE = 1  # a quote mark where a well-formed record cannot have one (or never closed)
F_BARE_CR = 2  # a CR outside quotes that is not part of the line ending
F_LF = 4  # ended by LF
F_CRLF = 8  # ended by CR LF
F_CR_EOF = 16  # ended by a CR at the end of the file


class _RecordScan:
    """One vectorised pass over a CSV's UTF-8 bytes, fed piece by piece.

    For every data record (not the header, not blank) it keeps where it starts, its length without
    the line ending, the line it starts on, its number of values (separators outside quotes + 1) and
    flags; blank records (empty, or only separators and ASCII white space) are only counted. Limits
    on rows and record length are checked as it goes, so a hostile file costs a bounded amount.
    """

    def __init__(
        self,
        separator: str,
        width: int,
        header_start: int,
        base: int,
        limits: ReadLimits,
        name: str,
    ) -> None:
        self.sep = ord(separator)
        self.width = width
        self.header_start = header_start
        self.limits, self.name = limits, name
        self.offset = base  # absolute offset of the next byte to process
        self.quotes = 0  # quote marks before self.offset
        self.newlines = 0  # line feeds before self.offset
        self.tail = b""  # bytes held back for look-ahead
        self.prev = 10  # the byte before self.offset (a record starts after a line feed)
        # the record in progress
        self.rec_start, self.rec_line, self.rec_seps, self.rec_flags = base, 1, 0, 0
        self.rec_blank = True
        # results
        self.parts: dict[str, list[np.ndarray]] = {
            k: [] for k in ("start", "len", "line", "nv", "fl")
        }
        self.rows = 0
        self.blank = 0  # blank records, the lines before the header included
        self.blank_nonempty = 0  # of those, records that are not empty (separators, spaces)
        self.header_seen = False
        self.header_multiline = False
        self.endings = 0  # F_LF | F_CRLF | F_CR_EOF seen on any record
        blankish = np.zeros(256, dtype=bool)
        blankish[[self.sep, 32, 9, 13, 12, 11]] = True
        self.blankish = blankish

    # ---- feeding

    def feed(self, data: bytes | memoryview) -> None:
        """Scan more bytes; the last two are held back as look-ahead for the next piece."""
        if len(self.tail) + len(data) <= 64:
            self.tail += bytes(data)
            if len(self.tail) <= 2:
                return
            data, self.tail = self.tail, b""
        elif self.tail:  # the bytes held back, with their look-ahead in the new data
            bridge = self.tail + bytes(data[:2])
            self._process(np.frombuffer(bridge, dtype=np.uint8), len(self.tail), eof=False)
            self.tail = b""
        view = np.frombuffer(data, dtype=np.uint8)
        pos = 0
        while len(view) - pos > 2:
            n = min(SCAN_BYTES, len(view) - pos - 2)
            piece = view[pos : pos + n + 2]
            if n > DENSE_BYTES and np.count_nonzero(piece[:n] == 10) > n // 16:
                # many short (blank) lines: smaller pieces keep the per-line arrays small
                for begin in range(0, n, DENSE_BYTES):
                    size = min(DENSE_BYTES, n - begin)
                    self._process(piece[begin : begin + size + 2], size, eof=False)
            else:
                self._process(piece, n, eof=False)
            pos += n
        self.tail = bytes(view[pos:])

    def finish(self) -> None:
        """The end of the file: scan what was held back and close the last record."""
        if self.tail:
            self._process(np.frombuffer(self.tail, dtype=np.uint8), len(self.tail), eof=True)
            self.tail = b""
        self._end_of_file()

    # ---- the vectorised step

    def _process(self, arr: np.ndarray, n: int, eof: bool) -> None:
        """Process arr[:n]; arr[n:] (at most 2 bytes) is look-ahead. eof: nothing follows arr."""
        base = self.offset
        body = arr[:n]
        qp = np.flatnonzero(body == 34)
        if not len(qp) and self._blank_piece(arr, n):
            return
        nl = np.flatnonzero(body == 10)
        if len(qp):
            nl_quotes = self.quotes + np.searchsorted(qp, nl)
            is_boundary = (nl_quotes & 1) == 0
            b = nl[is_boundary]
            b_ord = self.newlines + np.flatnonzero(is_boundary)
        else:
            b = nl if (self.quotes & 1) == 0 else nl[:0]
            b_ord = self.newlines + np.arange(len(b)) if len(b) else np.empty(0, np.int64)
        k = len(b)
        # separators outside quotes, counted per record
        sp = np.flatnonzero(body == self.sep)
        if len(qp):
            sp = sp[((self.quotes + np.searchsorted(qp, sp)) & 1) == 0]
        elif self.quotes & 1:
            sp = sp[:0]
        upto = self._separators_before(sp, b)
        seps = np.diff(upto, prepend=0)
        flags = np.zeros(k + 1, dtype=np.uint8)  # the last slot: the record still open
        # line endings: CR before the boundary's LF
        if k:
            before = arr[np.maximum(b - 1, 0)]
            if b[0] == 0:
                before = before.copy()
                before[0] = self.prev
            crlf = before == 13
            flags[:k] = F_LF + crlf * np.uint8(F_CRLF - F_LF)
            if crlf.any():
                self.endings |= F_CRLF
            if not crlf.all():
                self.endings |= F_LF
        else:
            crlf = np.zeros(0, dtype=bool)
        # quote marks in places a well-formed record cannot have them
        if len(qp):
            bad_q = self._bad_quotes(arr, n, qp, eof)
            if len(bad_q):
                flags[np.searchsorted(b, bad_q)] |= F_BAD_QUOTE
        # bare CRs outside quotes (only looked for when some CR is not followed by LF)
        cr_total = int(np.count_nonzero(body == 13))
        if cr_total:
            # a CR ending the piece has its LF in the look-ahead: counted as bare here, then checked
            crlf_here = int(np.count_nonzero(arr[np.maximum(nl - 1, 0)] == 13)) if len(nl) else 0
            if cr_total != crlf_here:
                bare = self._bare_crs(arr, n, qp, eof)
                if len(bare):
                    flags[np.searchsorted(b, bare)] |= F_BARE_CR
        # records completed here
        starts = np.empty(k, dtype=np.int64)
        lines = np.empty(k, dtype=np.int64)
        if k:
            starts[0] = self.rec_start
            starts[1:] = base + b[:-1] + 1
            lines[0] = self.rec_line
            lines[1:] = b_ord[:-1] + 2
            seps[0] += self.rec_seps
            flags[0] |= self.rec_flags
            lengths = base + b - crlf - starts
            blank = self._blank_records(arr, n, b, crlf, starts - base, lengths)
            self._take(starts, lengths, lines, seps, flags[:k], blank)
        # the record left open
        if k:
            self.rec_start = base + int(b[-1]) + 1
            self.rec_line = int(b_ord[-1]) + 2
            self.rec_seps = len(sp) - int(upto[-1])
            self.rec_flags = int(flags[k])
            first = int(b[-1]) + 1
            self.rec_blank = bool(self.blankish[body[first:]].all()) if first < n else True
        else:
            self.rec_seps += len(sp)
            self.rec_flags |= int(flags[0])
            if self.rec_blank:
                self.rec_blank = bool(self.blankish[body].all())
        self.quotes += len(qp)
        self.newlines += len(nl)
        self.offset = base + n
        self.prev = int(body[-1]) if n else self.prev
        if self.offset - self.rec_start > self.limits.max_line_bytes + 2:
            self._too_long(self.rec_line)

    def _separators_before(self, sp: np.ndarray, b: np.ndarray) -> np.ndarray:
        """How many of the separators sp come before each line end b (a searchsorted).

        When every record has the header's number of values, the answer is known in advance and
        two gathers confirm it, far cheaper than the search on files of short lines.
        """
        k = len(b)
        per = self.width - 1
        expected = (per - self.rec_seps) + per * np.arange(k, dtype=np.int64)
        if k and per > 0 and expected[0] >= 0 and expected[-1] <= len(sp):
            inside = expected < len(sp)
            after_ok = np.ones(k, dtype=bool)
            after_ok[inside] = sp[expected[inside]] > b[inside]
            has_before = expected > 0
            before_ok = np.ones(k, dtype=bool)
            before_ok[has_before] = sp[expected[has_before] - 1] < b[has_before]
            if after_ok.all() and before_ok.all():
                return expected
        return np.searchsorted(sp, b)

    def _blank_piece(self, arr: np.ndarray, n: int) -> bool:
        """A piece of nothing but blank lines (after a blank start): count them, store nothing.

        This keeps a file of millions of blank lines as cheap as its size. Returns False (and does
        nothing) unless the record in progress is blank, no quote is open and every byte of the piece
        is a line feed, a separator or ASCII white space.
        """
        if not self.rec_blank or self.quotes & 1 or not self.header_seen:
            return False
        body = arr[:n]
        sample = body[:: max(1, n // 512)]
        if not (self.blankish[sample] | (sample == 10)).all():
            return False
        is_lf = body == 10
        if not (self.blankish[body] | is_lf).all():
            return False
        lfs = np.flatnonzero(is_lf) if n <= 65536 else None
        k = int(np.count_nonzero(is_lf))
        if k:
            last_lf = int(n - 1 - np.argmax(is_lf[::-1])) if lfs is None else int(lfs[-1])
            cr_before = int(np.count_nonzero(is_lf[1:] & (body[:-1] == 13)))
            cr_before += int(is_lf[0] and self.prev == 13)
            if cr_before:
                self.endings |= F_CRLF
            if cr_before < k:
                self.endings |= F_LF
            self.blank += k
            if not (is_lf.all() and self.prev == 10):
                self.blank_nonempty += k  # an over-count only steers staging to the compacted copy
            self.rec_start = self.offset + last_lf + 1
            self.rec_line = self.newlines + k + 1
            self.rec_seps = int(np.count_nonzero(body[last_lf + 1 :] == self.sep))
            self.rec_flags = 0
        else:
            self.rec_seps += int(np.count_nonzero(body == self.sep))
        self.newlines += k
        self.offset += n
        self.prev = int(body[-1])
        if self.offset - self.rec_start > self.limits.max_line_bytes + 2:
            self._too_long(self.rec_line)
        return True

    def _bad_quotes(self, arr: np.ndarray, n: int, qp: np.ndarray, eof: bool) -> np.ndarray:
        size = len(arr)
        parity = (self.quotes + np.arange(len(qp))) & 1
        prev = arr[np.maximum(qp - 1, 0)].copy()
        if qp[0] == 0:
            prev[0] = self.prev
        nxt = np.where(qp + 1 < size, arr[np.minimum(qp + 1, size - 1)], 0)
        nxt2 = np.where(qp + 2 < size, arr[np.minimum(qp + 2, size - 1)], 0)
        at_end = (qp + 1 >= size) & eof
        cr_end = (nxt == 13) & ((nxt2 == 10) | ((qp + 2 >= size) & eof))
        opening_ok = (prev == self.sep) | (prev == 10) | (prev == 34)
        closing_ok = (nxt == self.sep) | (nxt == 10) | (nxt == 34) | cr_end | at_end
        ok = np.where(parity == 0, opening_ok, closing_ok)
        return qp[~ok]

    def _bare_crs(self, arr: np.ndarray, n: int, qp: np.ndarray, eof: bool) -> np.ndarray:
        size = len(arr)
        crp = np.flatnonzero(arr[:n] == 13)
        nxt = np.where(crp + 1 < size, arr[np.minimum(crp + 1, size - 1)], 0)
        line_end = (nxt == 10) | ((crp + 1 >= size) & eof)
        outside = ((self.quotes + np.searchsorted(qp, crp)) & 1) == 0
        return crp[~line_end & outside]

    def _blank_records(
        self,
        arr: np.ndarray,
        n: int,
        b: np.ndarray,
        crlf: np.ndarray,
        rel_starts: np.ndarray,
        lengths: np.ndarray,
    ) -> np.ndarray:
        """Which completed records are blank: empty, or only separators and ASCII white space.

        Only records whose first byte is blank-ish are looked at in full (real rows start with an ID).
        """
        blank = lengths == 0
        first_byte = arr[np.maximum(rel_starts, 0)]
        candidates = np.flatnonzero(self.blankish[first_byte] & ~blank)
        if len(candidates) and rel_starts[0] < 0 and candidates[0] == 0:
            candidates = candidates[1:]  # the record from an earlier piece: see below
        if len(candidates) > 64:
            mask = self.blankish[arr[:n]]
            edges = np.empty(2 * len(candidates), dtype=np.int64)
            edges[0::2] = rel_starts[candidates]
            edges[1::2] = rel_starts[candidates] + lengths[candidates]
            blank[candidates] = np.logical_and.reduceat(mask, edges)[0::2]
        else:
            for i in candidates.tolist():
                lo = int(rel_starts[i])
                blank[i] = bool(self.blankish[arr[lo : lo + int(lengths[i])]].all())
        if rel_starts[0] < 0:  # its earlier bytes decided rec_blank
            end = int(b[0]) - int(crlf[0])
            blank[0] = self.rec_blank and bool(self.blankish[arr[: max(end, 0)]].all())
        return blank

    def _take(
        self,
        starts: np.ndarray,
        lengths: np.ndarray,
        lines: np.ndarray,
        seps: np.ndarray,
        flags: np.ndarray,
        blank: np.ndarray,
    ) -> None:
        """Count the blank records and keep the data records (the header is neither)."""
        if not self.header_seen:
            keep = ~blank
            at_header = np.flatnonzero(starts == self.header_start)
            if len(at_header):
                h = int(at_header[0])
                self.header_seen = True
                self.header_multiline = bool(h < len(lines) - 1 and lines[h + 1] - lines[h] > 1)
                keep[: h + 1] = False
                blank[:h] = True  # lines before the header are blank (that is how it was found)
            else:
                keep[:] = False
                blank[:] = True
        else:
            keep = None
        blanks = int(np.count_nonzero(blank))
        if blanks:
            self.blank += blanks
            self.blank_nonempty += int(np.count_nonzero(blank & (lengths > 0)))
            if keep is None:
                keep = ~blank
        if keep is not None:
            starts, lengths, lines, seps, flags = (
                a[keep] for a in (starts, lengths, lines, seps, flags)
            )
        if not len(starts):
            return
        longest = int(np.argmax(lengths))
        if int(lengths[longest]) > self.limits.max_line_bytes:
            self._too_long(int(lines[longest]))
        self.rows += len(starts)
        if self.rows > self.limits.max_rows:
            raise _refuse(self.name, "LIMIT_ROWS", limit=self.limits.max_rows)
        self.parts["start"].append(starts)
        self.parts["len"].append(lengths.astype(np.int32))
        self.parts["line"].append(lines)
        self.parts["nv"].append((seps + 1).astype(np.int32))
        self.parts["fl"].append(flags)

    def _too_long(self, line: int) -> None:
        raise _refuse(
            self.name,
            "LIMIT_LINE_BYTES",
            line=line,
            limit=_size_text(self.limits.max_line_bytes),
        )

    def _end_of_file(self) -> None:
        length = self.offset - self.rec_start
        if length <= 0:
            return  # the file ends with a line feed (or is nothing but the header's)
        flags = self.rec_flags
        if self.quotes & 1:
            flags |= F_BAD_QUOTE  # a quoted value never closes
        cr_end = self.prev == 13 and not self.quotes & 1
        if cr_end:
            flags |= F_CR_EOF
            self.endings |= F_CR_EOF
            length -= 1
        blank = self.rec_blank and not self.quotes & 1
        self._take(
            np.array([self.rec_start], dtype=np.int64),
            np.array([length], dtype=np.int64),
            np.array([self.rec_line], dtype=np.int64),
            np.array([self.rec_seps], dtype=np.int64),
            np.array([flags], dtype=np.uint8),
            np.array([blank or length == 0]),
        )

    def segments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per data record: line, start offset, length, number of values, flags."""

        def cat(key: str, dtype: type) -> np.ndarray:
            return np.concatenate(self.parts[key]) if self.parts[key] else np.empty(0, dtype)

        return (
            cat("line", np.int64),
            cat("start", np.int64),
            cat("len", np.int32),
            cat("nv", np.int32),
            cat("fl", np.uint8),
        )


# ----------------------------------------------------------------------------- CSV: passes


class _TextPass:
    """The sink of one decoding pass: checks NUL bytes and escapes, finds the header, scans, copies.

    utf8_source: the file itself is UTF-8 and is scanned in place; otherwise the decoded text is
    written as UTF-8 to `out` and that copy is scanned.
    """

    def __init__(
        self,
        path: Path,
        name: str,
        limits: ReadLimits,
        out: BinaryIO | None,
        progress: Progress | None,
    ) -> None:
        self.path, self.name, self.limits, self.out, self.progress = (
            path,
            name,
            limits,
            out,
            progress,
        )
        self.scan: _RecordScan | None = None
        self.header: _Header | None = None
        self.pending_text = ""  # text before the header was found
        self.pending_data = b""
        self.first = True
        self.bom = False
        self.offset = 0  # bytes of the source before this chunk
        self.ascii_so_far = True

    def __call__(self, chunk: bytes | memoryview, text: str | None) -> None:
        if self.progress and chunk:
            self.progress(len(chunk))
        if self.first and text:
            self.first = False
            if text.startswith("\ufeff"):
                self.bom = True
                if self.out is not None:
                    text = text[1:]
        if self.out is None:
            raw = np.frombuffer(chunk, dtype=np.uint8)
            nul = np.flatnonzero(raw == 0)
            if len(nul):
                line = _line_at(self.path, self.offset + int(nul[0]))
                raise _refuse(self.name, "NUL_BYTES", line=line)
            if self.ascii_so_far:
                self.ascii_so_far = _is_ascii(chunk)
                if self.ascii_so_far and (raw == 0x1B).any() and _ISO2022_ESCAPE.search(chunk):
                    raise _Restart("iso2022_jp")
            data = chunk
        else:
            if text and "\x00" in text:
                line = self._lines_before() + text.count("\n", 0, text.index("\x00"))
                raise _refuse(self.name, "NUL_BYTES", line=line)
            data = text.encode("utf-8")
            self.out.write(data)
        self.offset += len(chunk)
        if self.scan is not None:
            self.scan.feed(data)
            return
        self.pending_text = self.pending_text + (text or "") if self.pending_text else (text or "")
        self.pending_data = self.pending_data + bytes(data) if self.pending_data else bytes(data)
        complete = not chunk  # the decoder's final call
        header = _find_header(self.pending_text, self.name, complete, self.limits)
        if header is None:
            if len(self.pending_data) >= CHUNK_BYTES:
                raise _refuse(self.name, "HEADER_TOO_LATE", size=_size_text(CHUNK_BYTES))
            return
        base = 3 if (self.bom and self.out is None) else 0
        header.start = max(header.start, base)
        self.header = header
        self.scan = _RecordScan(
            header.separator, header.layout.width, header.start, base, self.limits, self.name
        )
        data, self.pending_data, self.pending_text = self.pending_data, b"", ""
        self.scan.feed(data[base:])

    def _lines_before(self) -> int:
        """The line the next text starts on (from the line feeds fed to the scan so far)."""
        if self.scan is None:
            return 1 + self.pending_text.count("\n")
        return 1 + self.scan.newlines + self.scan.tail.count(b"\n")

    @property
    def wants_text(self) -> bool:
        """The decoded text is only needed until the header is found."""
        return self.scan is None

    def done(self) -> tuple[_RecordScan, _Header]:
        if self.scan is None or self.header is None:
            raise _refuse(self.name, "NO_HEADER")
        self.scan.finish()
        if not self.scan.header_seen:  # pragma: no cover - a bug, never a silent loss of rows
            raise RuntimeError(
                f"{self.name}: the scan did not meet the header at {self.header.start}"
            )
        return self.scan, self.header


def _open_csv(
    path: Path,
    name: str,
    head: bytes,
    progress: Progress | None,
    limits: ReadLimits,
    scratch: _Scratch,
) -> Part:
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decoded_part(path, name, "utf-32", limits, scratch)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decoded_part(path, name, "utf-16", limits, scratch)
    if b"\x00" in head:
        if _utf16_without_bom(head):
            raise _refuse(name, "UTF16_WITHOUT_BOM")
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raise _refuse(name, "NUL_BYTES", line=line)
    if head.isascii() and _ISO2022_ESCAPE.search(head):
        return _iso2022_part(path, name, limits, scratch)
    sink = _TextPass(path, name, limits, None, progress)
    try:
        _stream_utf8(path, sink)
    except _Restart:
        return _iso2022_part(path, name, limits, scratch)
    except _BadEncoding as utf8_error:
        if utf8_error.after_valid_text:
            raise _refuse(name, "MIXED_ENCODINGS", line=utf8_error.line) from None
        encoding = _legacy_encoding(path, name, utf8_error.line)
        return _decoded_part(path, name, encoding, limits, scratch)
    scan, header = sink.done()
    encoding = "utf-8-sig" if sink.bom else "utf-8"
    return _csv_part(name, encoding, path, scan, header, limits, scratch, 3 if sink.bom else 0)


def _iso2022_part(path: Path, name: str, limits: ReadLimits, scratch: _Scratch) -> Part:
    last: FileRefused | None = None
    for encoding in _ISO2022_CODECS:
        try:
            return _decoded_part(path, name, encoding, limits, scratch)
        except FileRefused as exc:
            if exc.code != "BAD_BYTES":
                raise
            last = exc
    assert last is not None
    raise last


def _decoded_part(
    path: Path, name: str, encoding: str, limits: ReadLimits, scratch: _Scratch
) -> Part:
    """Decode the file into a UTF-8 copy in the scratch directory, scanning it on the way."""
    copy = scratch.file(".utf8.csv")
    try:
        with copy.open("wb") as out:
            sink = _TextPass(path, name, limits, out, None)
            try:
                _stream_decode(path, encoding, sink)
            except _BadEncoding as error:
                raise _refuse(
                    name,
                    "BAD_BYTES",
                    encoding=_ENCODING_NAMES.get(encoding, encoding),
                    line=error.line,
                ) from None
        scan, header = sink.done()
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    return _csv_part(name, encoding, copy, scan, header, limits, scratch, 0)


_ENCODING_NAMES = {
    "cp932": "CP932/Shift_JIS",
    "euc_jp": "EUC-JP",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "iso2022_jp": "ISO-2022-JP",
    "iso2022_jp_ext": "ISO-2022-JP",
    "iso2022_jp_2004": "ISO-2022-JP-2004",
}


def _csv_part(
    name: str,
    encoding: str,
    utf8_path: Path,
    scan: _RecordScan,
    header: _Header,
    limits: ReadLimits,
    scratch: _Scratch,
    bom: int,
) -> Part:
    reader = _CsvReader(utf8_path, header, scan, limits, scratch, bom)
    return Part(name, None, encoding, header.layout, reader, header.separator)


class _CsvStaged(Staged):
    """DuckDB's read_csv over the sound records; checked against the scan's count."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        relation: str,
        expected: np.ndarray,
        rejects: list[Reject],
        blank_rows: int,
    ) -> None:
        self.con, self.relation, self.expected = con, relation, expected
        self.rejects, self.blank_rows = rejects, blank_rows

    def lines(self, rows: int) -> np.ndarray | None:
        return self.expected if rows == len(self.expected) else None

    def close(self) -> None:
        self.con.execute(f"DROP VIEW IF EXISTS {self.relation}")


class _CsvReader(_Reader):
    def __init__(
        self,
        path: Path,
        header: _Header,
        scan: _RecordScan,
        limits: ReadLimits,
        scratch: _Scratch,
        bom: int,
    ) -> None:
        self.path, self.header, self.scan = path, header, scan
        self.limits, self.scratch, self.bom = limits, scratch, bom
        self.sep = header.separator
        self.width = header.layout.width

    def stage(self, con: duckdb.DuckDBPyConnection, exact: bool) -> Staged:
        if exact:
            return _read_exact(con, self.path, self.sep, self.width, self.bom)
        lines, starts, lengths, nvalues, flags = self.scan.segments()
        if len(lines) != self.scan.rows:
            return _read_exact(con, self.path, self.sep, self.width, self.bom)
        sound = (nvalues == self.width) & ((flags & (F_BAD_QUOTE | F_BARE_CR)) == 0)
        rejects: list[Reject] = []
        blank = self.scan.blank
        unsound = np.flatnonzero(~sound)
        if len(unsound):
            with self.path.open("rb") as fh:
                for i in unsound:
                    text = os.pread(fh.fileno(), int(lengths[i]), int(starts[i])).decode("utf-8")
                    kind, outcome = _classify(text, self.sep, self.width, int(lines[i]))
                    if kind == _BLANK:
                        blank += 1
                    elif isinstance(outcome, Reject):
                        rejects.append(outcome)
                    else:  # the scan was more careful than needed: read it all exactly
                        return _read_exact(con, self.path, self.sep, self.width, self.bom)
        in_place = (
            not len(unsound)
            and self.scan.blank_nonempty == 0
            and self.scan.blank <= max(len(lines), 10_000)  # DuckDB skips empty lines slowly
            and self.header.lines_before == 0
            and not self.scan.header_multiline
            and len(lines) > 0
        )
        relation = _fresh_name("staged_csv")
        if not sound.any():
            cols = ", ".join(f"NULL::VARCHAR AS c{i}" for i in range(self.width))
            con.execute(f"CREATE TEMP VIEW {relation} AS SELECT {cols} WHERE false")
        else:
            source, skip = (
                (self.path, 1) if in_place else (self._compact(starts, lengths, flags, sound), 0)
            )
            columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(self.width)) + "}"
            max_line = 2 * self.limits.max_line_bytes + 1024
            con.sql(
                f"SELECT * FROM read_csv(?, header = false, skip = {skip}, columns = {columns}, "
                f"delim = '{self.sep}', quote = '\"', escape = '\"', auto_detect = false, "
                # it only meets records the scan found sound; its strict mode mishandles CR LF
                # line endings around quoted line breaks, the usual Excel export
                "strict_mode = false, null_padding = false, "
                f"max_line_size = {max_line}, encoding = 'utf-8')",
                params=[str(source)],
            ).create_view(relation, replace=True)
        return _CsvStaged(con, relation, lines[sound], rejects, blank)

    def _compact(
        self, starts: np.ndarray, lengths: np.ndarray, flags: np.ndarray, sound: np.ndarray
    ) -> Path:
        """A copy of only the sound records, each with its own line ending (LF for the last)."""
        keep = np.flatnonzero(sound)
        s = starts[keep]
        ending = np.where(flags[keep] & F_CRLF, 2, np.where(flags[keep] & F_LF, 1, 0))
        e = s + lengths[keep] + ending
        joinable = np.zeros(len(keep), dtype=bool)
        joinable[1:] = (ending[:-1] > 0) & (e[:-1] == s[1:])
        run_starts = np.flatnonzero(~joinable)
        run_ends = np.append(run_starts[1:], len(keep)) - 1
        copy = self.scratch.file(".rows.csv")
        with self.path.open("rb") as src, copy.open("wb") as out:
            fd = src.fileno()
            for a, z in zip(run_starts, run_ends, strict=True):
                lo, hi = int(s[a]), int(e[z])
                while lo < hi:
                    piece = os.pread(fd, min(CHUNK_BYTES, hi - lo), lo)
                    out.write(piece)
                    lo += len(piece)
                if not ending[z]:
                    out.write(b"\n")
        return copy


def _read_exact(
    con: duckdb.DuckDBPyConnection, path: Path, sep: str, width: int, bom: int
) -> _TableStaged:
    """The exact path: every record split and classified in Python (the semantics' definition)."""
    buffer = _RowBuffer(width)
    rejects: list[Reject] = []
    blank = 0
    header_done = False
    for line, text in _records(path, bom):
        if not header_done:
            if not text.strip(BLANK_CHARS + ",;"):
                blank += 1
                continue
            header_done = True
            continue
        kind, outcome = _classify(text, sep, width, line)
        if kind == _BLANK:
            blank += 1
        elif isinstance(outcome, Reject):
            rejects.append(outcome)
        else:
            buffer.add(line, outcome)  # type: ignore[arg-type]
    return buffer.stage(con, rejects, blank)


def _records(path: Path, bom: int) -> Iterator[tuple[int, str]]:
    """(line, text) of every record: a line feed ends one when an even number of quotes precede it."""
    line = 1
    start_line = 1
    quotes = 0
    pieces: list[bytes] = []
    with path.open("rb") as fh:
        if bom:
            fh.read(bom)
        for raw in fh:
            pieces.append(raw)
            quotes += raw.count(b'"')
            line += raw.count(b"\n")
            if raw.endswith(b"\n") and quotes % 2 == 0:
                data = b"".join(pieces)[:-1]
                if data.endswith(b"\r"):
                    data = data[:-1]
                yield start_line, data.decode("utf-8")
                pieces = []
                start_line = line
    if pieces:
        data = b"".join(pieces)
        if data.endswith(b"\r") and quotes % 2 == 0:
            data = data[:-1]
        if data:
            yield start_line, data.decode("utf-8")


# ------------------------------------------------------------------------------------- xlsx


def _check_zip(path: Path, name: str, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts are too many, too large, or packed like a zip bomb."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(name, "BAD_WORKBOOK", error=f"truncated or corrupt: {exc}") from None
    if len(infos) > limits.max_xlsx_members:
        raise _refuse(name, "LIMIT_XLSX_MEMBERS", found=len(infos), limit=limits.max_xlsx_members)
    total = sum(info.file_size for info in infos)
    if total > limits.max_xlsx_bytes:
        raise _refuse(
            name,
            "LIMIT_XLSX_BYTES",
            size=_size_text(total),
            limit=_size_text(limits.max_xlsx_bytes),
        )
    for info in infos:
        if info.file_size > MiB and info.file_size > limits.max_xlsx_ratio * max(
            info.compress_size, 1
        ):
            raise _refuse(
                name,
                "LIMIT_XLSX_RATIO",
                member=info.filename,
                ratio=info.file_size / max(info.compress_size, 1),
                limit=limits.max_xlsx_ratio,
            )
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise _refuse(name, "BAD_WORKBOOK", error="a zip archive without a workbook in it")


def _cell_text(value: object, column: str | None, epoch: datetime) -> str | None:
    from openpyxl.utils.datetime import from_excel

    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if column in DATE_COLUMNS and 0 < value < 2958466:
            try:
                converted = from_excel(value, epoch)
            except (ValueError, OverflowError):
                return str(value)
            return _cell_text(converted, None, epoch)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    text = str(value)
    return None if is_blank(text) else text


def _parser_class() -> type:
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        """openpyxl's sheet parser, also telling formula cells that have no stored value."""

        def parse_cell(self, element):  # type: ignore[no-untyped-def]
            cell = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find(FORMULA_TAG)
                if formula is not None:
                    # no <v>, or an empty one that is not an empty text result (t="str")
                    stored = element.findtext(VALUE_TAG)
                    if stored is None or (stored == "" and element.get("t") != "str"):
                        cell["data_type"] = "formula"
                        cell["value"] = "=" + (formula.text or "…")
            return cell

    return Parser


@dataclass
class _Sheet:
    layout: FileLayout
    buffer: _RowBuffer
    rejects: list[Reject]
    blank: int


def _read_sheet(ws: object, workbook: object, name: str, limits: ReadLimits) -> _Sheet | None:
    """One sheet's rows from its XML (no padding to the stated dimension); None when it is empty.

    Raises HeaderError when it holds data but no recognisable header.
    """
    parser_class = _parser_class()
    epoch = workbook.epoch  # type: ignore[attr-defined]
    with ws._get_source() as src:  # type: ignore[attr-defined]
        parser = parser_class(
            src,
            ws._shared_strings,  # type: ignore[attr-defined]
            data_only=True,
            epoch=epoch,
            date_formats=workbook._date_formats,  # type: ignore[attr-defined]
            timedelta_formats=workbook._timedelta_formats,  # type: ignore[attr-defined]
        )
        header_row = 0
        layout: FileLayout | None = None
        buffer: _RowBuffer | None = None
        names: dict[int, str] = {}
        rejects: list[Reject] = []
        last_row = 0  # the last row with a value: empty styled rows after it are formatting
        data_rows = 0
        for row_number, cells in parser.parse():
            values: dict[int, object] = {}
            formulas: dict[int, str] = {}
            for cell in cells:
                value = cell["value"]
                if value is None:
                    continue
                if cell["data_type"] == "formula":
                    formulas[cell["column"]] = value
                elif not (isinstance(value, str) and is_blank(value)):
                    values[cell["column"]] = value
            if layout is None:
                if not values:
                    continue
                width = max(values)
                if width > limits.max_columns:
                    raise _refuse(name, "LIMIT_COLUMNS", found=width, limit=limits.max_columns)
                header = [_cell_text(values.get(c), None, epoch) or "" for c in range(1, width + 1)]
                layout = recognise_header(header)
                names = {index + 1: canonical for canonical, index in layout.columns.items()}
                buffer = _RowBuffer(layout.width)
                header_row = row_number
                continue
            assert buffer is not None
            if not values and not formulas:
                continue
            last_row = row_number
            data_rows += 1
            if data_rows > limits.max_rows:
                raise _refuse(name, "LIMIT_ROWS", limit=limits.max_rows)
            width = layout.width
            used = max([*values, *formulas])
            texts = [
                _cell_text(values.get(c), names.get(c), epoch) or formulas.get(c)
                for c in range(1, min(used, width) + 1)
            ]
            raw = ",".join(_csv_cell(t) for t in texts)
            if used > width:
                extra = [
                    _cell_text(values.get(c), None, epoch) or formulas.get(c)
                    for c in range(width + 1, used + 1)
                ]
                raw = ",".join([raw, *(_csv_cell(t) for t in extra)])
                reason = REASONS["WRONG_COLUMN_COUNT"].format(found=used, width=width)
                rejects.append(Reject(row_number, raw, "WRONG_COLUMN_COUNT", reason))
                continue
            mapped = [c for c in formulas if c in names]
            if mapped:
                column = names[mapped[0]]
                reason = REASONS["FORMULA_WITHOUT_VALUE"].format(value=formulas[mapped[0]])
                rejects.append(
                    Reject(row_number, raw, "FORMULA_WITHOUT_VALUE", reason, column=column)
                )
                continue
            cells_out = [
                _cell_text(values.get(c), names.get(c), epoch) for c in range(1, width + 1)
            ]
            buffer.add(row_number, cells_out)
    if layout is None or buffer is None:
        return None
    # blank rows: before the header, and between it and the last row with a value
    blank = (header_row - 1) + max(last_row - header_row, 0) - data_rows
    return _Sheet(layout, buffer, rejects, blank)


def _csv_cell(text: str | None) -> str:
    if text is None:
        return ""
    if re.search(r'[",\r\n]', text):
        return '"' + text.replace('"', '""') + '"'
    return text


class _SheetReader(_Reader):
    def __init__(self, sheet: _Sheet) -> None:
        self.sheet = sheet

    def stage(self, con: duckdb.DuckDBPyConnection, exact: bool) -> Staged:
        return self.sheet.buffer.stage(con, list(self.sheet.rejects), self.sheet.blank)


def _open_xlsx(
    path: Path,
    name: str,
    size: int,
    progress: Progress | None,
    limits: ReadLimits,
    skip_sheets: set[str],
) -> tuple[list[Part], list[Skipped]]:
    import openpyxl

    _check_zip(path, name, limits)
    if progress:
        progress(size)
    with path.open("rb") as fh:
        try:
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on damaged archives
            raise _refuse(name, "BAD_WORKBOOK", error=f"{type(exc).__name__}: {exc}") from None
        parts: list[Part] = []
        skipped: list[Skipped] = []
        try:
            for ws in workbook.worksheets:
                title = ws.title
                if title in skip_sheets:
                    skipped.append(Skipped(title, "SHEET_SKIPPED"))
                    continue
                if getattr(ws, "sheet_state", "visible") != "visible":
                    skipped.append(Skipped(title, "SHEET_HIDDEN"))
                    continue
                try:
                    sheet = _read_sheet(ws, workbook, name, limits)
                except HeaderError as exc:
                    raise _refuse(
                        name, "SHEET_UNRECOGNISED", sheet=title, detail=str(exc)
                    ) from None
                except FileRefused:
                    raise
                except Exception as exc:
                    raise _refuse(
                        name, "SHEET_UNREADABLE", sheet=title, error=f"{type(exc).__name__}: {exc}"
                    ) from None
                if sheet is None:
                    continue  # an empty sheet holds nothing to account for
                parts.append(Part(name, title, "xlsx", sheet.layout, _SheetReader(sheet)))
        finally:
            workbook.close()
    if not parts:
        if skipped:
            raise _refuse(
                name, "ALL_SHEETS_SKIPPED", sheets=", ".join(f"{s.sheet!r}" for s in skipped)
            )
        raise _refuse(name, "NO_SHEET_WITH_DATA")
    return parts, skipped


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
    "check_file",
    "file_sha256",
    "is_blank",
    "open_source",
    "register_functions",
    "text_clean",
]
