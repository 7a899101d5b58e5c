"""Reading export files into a staging table: encoding, kind, line numbers, structural rejects.

A CSV file is checked and hashed in one streaming pass (strict UTF-8, else strict CP932, which is
re-encoded to UTF-8 in Python), then parsed by DuckDB's CSV reader. Line numbers come from a
vectorised scan of the bytes: a newline ends a record when an even number of quote characters precedes
it. When DuckDB's records and the scan disagree (malformed quoting, huge lines), the file is read again
with Python's csv module, which is slower but exact. ``.xlsx`` files are read with openpyxl.

Each part is staged as ``stg_source(c0 … cN)`` in file order (a view over ``read_csv`` on the fast path,
so the loader parses while DuckDB reads), then ``lines()`` gives the line of each of its rows once it
has been scanned, and fills ``stg_rejects(line, raw, reason)`` with rows that could not be split.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Protocol

import duckdb
import numpy as np
import pandas as pd

from pipelines.columns import FileLayout, HeaderError, recognise_header

CHUNK_BYTES = 16 * 1024 * 1024
DATE_COLUMNS = ("received_at", "requested_for", "event_at")
ZIP_MAGIC = b"PK\x03\x04"
Progress = Callable[[int], None]


class FileRefused(ValueError):
    """A whole file cannot be read; the message names the file and the problem."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


@dataclass
class Part:
    """One loadable table inside a file: a CSV file, or one sheet of a workbook."""

    name: str
    sheet: str | None
    encoding: str
    layout: FileLayout
    staging: Staging = field(repr=False)


@dataclass
class SourceFile:
    """A file that has been checked and hashed and is ready to stage."""

    path: Path
    name: str
    sha256: str
    size_bytes: int
    parts: list[Part]
    cleanup: list[Path] = field(default_factory=list)

    def close(self) -> None:
        """Remove temporary files made while reading (the UTF-8 copy of a CP932 file)."""
        for tmp in self.cleanup:
            tmp.unlink(missing_ok=True)


def check_file(path: Path) -> None:
    """Refuse, by name, a path that is not a non-empty file (before anything is read)."""
    if not path.exists():
        raise FileRefused(path.name, "file not found")
    if path.is_dir():
        raise FileRefused(path.name, "is a folder, not a file")
    if path.stat().st_size == 0:
        raise FileRefused(path.name, "the file is empty")


def open_source(path: str | Path, sha256: str, progress: Progress | None = None) -> SourceFile:
    """Check and recognise one export file whose sha256 is known; FileRefused when unreadable."""
    path = Path(path)
    check_file(path)
    name = path.name
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(65536)
    if head.startswith(ZIP_MAGIC):
        return _open_xlsx(path, name, size, progress, sha256)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileRefused(name, "not a readable .xlsx workbook (it is not a zip archive)")
    if path.suffix.lower() in (".xls",):
        raise FileRefused(name, "old .xls workbooks are not supported: save as .xlsx or CSV")
    if b"\x00" in head:
        raise FileRefused(name, "contains NUL bytes: this is a binary file, not a CSV export")
    return _open_csv(path, name, size, progress, sha256)


# ---------------------------------------------------------------------------------------------- CSV


class _RecordScan:
    """Where records start, from newline and quote positions, fed chunk by chunk (UTF-8 bytes)."""

    def __init__(self) -> None:
        self.offset = 0
        self.quotes = 0
        self.newlines = 0
        self.boundary_pos: list[np.ndarray] = []  # byte offset of each record-ending newline
        self.boundary_ord: list[np.ndarray] = []  # its ordinal among all newlines
        self.boundary_cr: list[np.ndarray] = []  # preceded by '\r'
        self.last_byte = 0

    def feed(self, chunk: bytes) -> None:
        arr = np.frombuffer(chunk, dtype=np.uint8)
        nl = np.flatnonzero(arr == 10)
        qp = np.flatnonzero(arr == 34)
        even = ((self.quotes + np.searchsorted(qp, nl)) % 2) == 0
        prev = np.empty(len(nl), dtype=np.uint8)
        if len(nl):
            prev[:] = arr[np.maximum(nl - 1, 0)]
            if nl[0] == 0:
                prev[0] = self.last_byte
        self.boundary_pos.append(self.offset + nl[even])
        self.boundary_ord.append(self.newlines + np.flatnonzero(even))
        self.boundary_cr.append(prev[even] == 13)
        self.offset += len(arr)
        self.quotes += len(qp)
        self.newlines += len(nl)
        if len(arr):
            self.last_byte = int(arr[-1])

    def segments(self) -> tuple[np.ndarray, np.ndarray]:
        """Per record (header first): the physical line it starts on, and whether it is blank."""
        pos = np.concatenate(self.boundary_pos) if self.boundary_pos else np.empty(0, np.int64)
        ords = np.concatenate(self.boundary_ord) if self.boundary_ord else np.empty(0, np.int64)
        crs = np.concatenate(self.boundary_cr) if self.boundary_cr else np.empty(0, bool)
        starts = np.concatenate(([0], pos + 1))
        ends = np.concatenate((pos, [self.offset]))
        lines = np.concatenate(([1], ords + 2))
        length = ends - starts
        cr_end = np.concatenate((crs, [self.last_byte == 13]))
        blank = (length == 0) | ((length == 1) & cr_end)
        if len(blank) > 1 and ends[-1] == starts[-1]:
            blank[-1] = True  # the empty tail after a final newline
        return lines, blank


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


def _line_at(path: Path, offset: int) -> int:
    """The 1-based line number of a byte offset (only read when reporting a problem)."""
    lines = 1
    with path.open("rb") as fh:
        while offset > 0 and (chunk := fh.read(min(CHUNK_BYTES, offset))):
            lines += chunk.count(b"\n")
            offset -= len(chunk)
    return lines


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes (hashlib releases the GIL, so this runs well in a thread)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class _BadEncoding(Exception):
    def __init__(self, line: int, after_valid_text: bool = False) -> None:
        self.line = line
        self.after_valid_text = after_valid_text  # valid multi-byte text came before the bad bytes


def _open_csv(
    path: Path, name: str, size: int, progress: Progress | None, sha256: str
) -> SourceFile:
    scan = _RecordScan()
    head: list[str] = []
    state = {"nul": False}

    def utf8_sink(chunk: bytes, text: str) -> None:
        if b"\x00" in chunk:
            state["nul"] = True
        scan.feed(chunk)
        if len(head) < 1 and text:
            head.append(text[:65536])
        if progress:
            progress(len(chunk))

    encoding = "utf-8"
    csv_path = path
    cleanup: list[Path] = []
    try:
        _stream_decode(path, "utf-8", utf8_sink)
    except _BadEncoding as utf8_error:
        if state["nul"]:
            raise FileRefused(
                name, "contains NUL bytes: this is a binary file, not a CSV export"
            ) from None
        if utf8_error.after_valid_text:
            raise FileRefused(
                name,
                f"cannot be decoded: mixes encodings — UTF-8 text up to line {utf8_error.line}, "
                "then bytes that are not UTF-8; re-export the file in one encoding",
            ) from None
        encoding = "cp932"
        scan = _RecordScan()
        head.clear()
        fd, tmp_name = tempfile.mkstemp(prefix="opsdash-", suffix=".utf8.csv")
        tmp = Path(tmp_name)
        cleanup.append(tmp)
        with os.fdopen(fd, "wb") as out:

            def cp932_sink(chunk: bytes, text: str) -> None:
                data = text.encode("utf-8")
                scan.feed(data)
                out.write(data)
                if len(head) < 1 and text:
                    head.append(text[:65536])

            try:
                _stream_decode(path, "cp932", cp932_sink)
            except _BadEncoding as cp932_error:
                tmp.unlink(missing_ok=True)
                raise FileRefused(
                    name,
                    f"cannot be decoded: not UTF-8 (bad bytes on line {utf8_error.line}) "
                    f"and not CP932/Shift_JIS (bad bytes on line {cp932_error.line})",
                ) from None
        csv_path = tmp
    else:
        if state["nul"]:
            raise FileRefused(name, "contains NUL bytes: this is a binary file, not a CSV export")
        if head and head[0].startswith("\ufeff"):
            encoding = "utf-8-sig"
    text_head = head[0].lstrip("\ufeff") if head else ""
    if not text_head.strip():
        raise FileRefused(name, "the file is empty (no header row)")
    header = _first_record(text_head)
    if not any(cell.strip() for cell in header):
        raise FileRefused(name, "the first line is blank: expected a header row")
    try:
        layout = recognise_header(header)
    except HeaderError as exc:
        raise FileRefused(name, str(exc)) from None

    staging = _CsvStaging(csv_path, layout.width, scan)
    part = Part(name=name, sheet=None, encoding=encoding, layout=layout, staging=staging)
    return SourceFile(path, name, sha256, size, [part], cleanup)


def _first_record(text: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline="")))
    except (StopIteration, csv.Error):
        return []


class Staging(Protocol):
    """How one part reaches DuckDB: source() creates stg_source; lines() numbers its rows."""

    def source(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create the view stg_source (c0 … cN, all text, in file order) and stg_rejects."""

    def lines(self, con: duckdb.DuckDBPyConnection, rows: int) -> np.ndarray | None:
        """After stg_source was scanned into `rows` rows: their lines, or None to retry exactly."""

    def exact(self) -> bool:
        """Switch to the slower exact reading; False when this staging is exact already."""


def _create_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stg_rejects (line BIGINT, raw VARCHAR, reason VARCHAR)"
    )


class _TableStaging:
    """Rows already split in Python (xlsx, or CSV read by the csv module) with their lines."""

    def __init__(
        self,
        width: int,
        rows: list[list[str | None]],
        lines: list[int],
        rejects: list[tuple[int, str, str]],
    ) -> None:
        self.width, self.rows, self.line_numbers, self.rejects = width, rows, lines, rejects

    def source(self, con: duckdb.DuckDBPyConnection) -> None:
        frame = pd.DataFrame(self.rows, columns=[f"c{i}" for i in range(self.width)], dtype=object)  # noqa: F841
        cols = ", ".join(f"CAST(c{i} AS VARCHAR) AS c{i}" for i in range(self.width))
        con.execute(f"CREATE OR REPLACE TEMP TABLE stg_table AS SELECT {cols} FROM frame")
        con.execute("CREATE OR REPLACE TEMP VIEW stg_source AS SELECT * FROM stg_table")
        _create_rejects(con)
        if self.rejects:
            con.executemany("INSERT INTO stg_rejects VALUES (?, ?, ?)", self.rejects)

    def lines(self, con: duckdb.DuckDBPyConnection, rows: int) -> np.ndarray | None:
        return np.asarray(self.line_numbers, dtype=np.int64)

    def exact(self) -> bool:
        return False


class _CsvStaging:
    """DuckDB's CSV reader, checked against the line scan; Python's csv module when they disagree."""

    def __init__(self, csv_path: Path, width: int, scan: _RecordScan) -> None:
        self.csv_path, self.width, self.scan = csv_path, width, scan
        self.fallback: _TableStaging | None = None

    def source(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.fallback is not None:
            self.fallback.source(con)
            return
        con.execute("DROP TABLE IF EXISTS reject_errors")
        con.execute("DROP TABLE IF EXISTS reject_scans")
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(self.width)) + "}"
        con.sql(
            "SELECT * FROM read_csv(?, header = false, skip = 1, "
            f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', "
            "auto_detect = false, strict_mode = true, null_padding = false, store_rejects = true, "
            "max_line_size = 8388608, encoding = 'utf-8')",
            params=[str(self.csv_path)],
        ).create_view("stg_source", replace=True)
        _create_rejects(con)

    def lines(self, con: duckdb.DuckDBPyConnection, rows: int) -> np.ndarray | None:
        if self.fallback is not None:
            return self.fallback.lines(con, rows)
        lines, blank = self.scan.segments()
        rejects = con.execute(
            "SELECT line, any_value(csv_line), any_value(error_type::VARCHAR) FROM reject_errors "
            "GROUP BY line ORDER BY line"
        ).fetchall()
        reject_index = np.array([r[0] - 1 for r in rejects], dtype=np.int64)  # 0-based record index
        if len(reject_index) and (reject_index.max() >= len(lines) or blank[reject_index].any()):
            return None
        data = ~blank
        data[0] = False  # the header
        data[reject_index] = False
        accepted = lines[data]
        if len(accepted) != rows:
            return None
        reject_rows = []
        for idx, (_, raw, kind) in zip(reject_index, rejects, strict=True):
            text = (raw or "").lstrip("\r\n")
            reject_rows.append((int(lines[idx]), text, _structural_reason(text, kind, self.width)))
        if reject_rows:
            con.executemany("INSERT INTO stg_rejects VALUES (?, ?, ?)", reject_rows)
        return accepted

    def exact(self) -> bool:
        if self.fallback is not None:
            return False
        self.fallback = _read_csv_python(self.csv_path, self.width)
        return True


def _structural_reason(raw: str, error_type: str, width: int) -> str:
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        found = len(_first_record(raw)) if raw else 0
        return f"wrong column count: {found} values where the header has {width}"
    if error_type == "UNQUOTED VALUE":
        return "malformed quoting (a quote mark opens a value that never closes properly)"
    if error_type == "LINE SIZE OVER MAXIMUM":
        return "line too long (over 8 MiB)"
    return f"unreadable row ({error_type.lower()})"


def _wrong_count(line: int, raw: str, found: int, width: int) -> tuple[int, str, str]:
    return (line, raw, f"wrong column count: {found} values where the header has {width}")


def _read_csv_python(csv_path: Path, width: int) -> _TableStaging:
    """Exact path: Python's csv module, for files DuckDB's reader disagrees with."""
    csv.field_size_limit(256 * 1024 * 1024)
    rows: list[list[str | None]] = []
    line_numbers: list[int] = []
    rejects: list[tuple[int, str, str]] = []
    consumed: list[str] = []

    def physical_lines(fh: io.TextIOBase) -> Iterator[str]:
        for text_line in fh:
            consumed.append(text_line)
            yield text_line

    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(physical_lines(fh), strict=False)
        next(reader, None)  # header
        consumed.clear()
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                rejects.append((start, "".join(consumed).rstrip("\r\n"), f"unreadable row: {exc}"))
                consumed.clear()
                start = reader.line_num + 1
                continue
            raw = "".join(consumed).rstrip("\r\n")
            consumed.clear()
            if not row or (len(row) == 1 and not row[0] and not raw.strip()):
                start = reader.line_num + 1
                continue
            if len(row) != width:
                rejects.append(_wrong_count(start, raw, len(row), width))
            else:
                line_numbers.append(start)
                rows.append([value if value != "" else None for value in row])
            start = reader.line_num + 1
    return _TableStaging(width, rows, line_numbers, rejects)


# --------------------------------------------------------------------------------------------- xlsx


def _cell_text(value: object, column: str | None) -> str | None:
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
                converted = from_excel(value)
            except (ValueError, OverflowError):
                return str(value)
            return _cell_text(converted, None)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    text = str(value)
    return text if text.strip() else None


def _open_xlsx(
    path: Path, name: str, size: int, progress: Progress | None, sha256: str
) -> SourceFile:
    import openpyxl

    if progress:
        progress(size)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise FileRefused(
            name, f"not a readable .xlsx workbook (truncated or corrupt: {exc})"
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on damaged archives
        raise FileRefused(
            name, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"
        ) from None
    parts: list[Part] = []
    problems: list[str] = []
    try:
        for sheet in workbook.worksheets:
            try:
                rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            except Exception as exc:
                raise FileRefused(name, f"sheet {sheet.title!r} cannot be read ({exc})") from None
            header = [_cell_text(v, None) or "" for v in rows[0]] if rows else []
            while header and not header[-1].strip():
                header.pop()
            if not header:
                problems.append(f"sheet {sheet.title!r} is empty")
                continue
            try:
                layout = recognise_header(header)
            except HeaderError as exc:
                problems.append(f"sheet {sheet.title!r}: {exc}")
                continue
            parts.append(Part(name, sheet.title, "xlsx", layout, _xlsx_staging(rows, layout)))
    finally:
        workbook.close()
    if not parts:
        raise FileRefused(name, "; ".join(problems) or "the workbook has no sheets")
    return SourceFile(path, name, sha256, size, parts)


def _xlsx_staging(rows: list[list[object]], layout: FileLayout) -> _TableStaging:
    names = {index: canonical for canonical, index in layout.columns.items()}
    width = layout.width
    good: list[list[str | None]] = []
    line_numbers: list[int] = []
    rejects: list[tuple[int, str, str]] = []
    for row_number, row in enumerate(rows[1:], start=2):
        cells = [_cell_text(v, names.get(i)) for i, v in enumerate(row)]
        while cells and cells[-1] is None and len(cells) > width:
            cells.pop()
        if not any(c is not None for c in cells):
            continue
        if len(cells) > width:
            raw = ",".join("" if c is None else c for c in cells)
            rejects.append(_wrong_count(row_number, raw, len(cells), width))
            continue
        line_numbers.append(row_number)
        good.append([*cells, *([None] * (width - len(cells)))])
    return _TableStaging(width, good, line_numbers, rejects)
