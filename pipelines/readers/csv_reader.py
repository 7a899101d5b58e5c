"""CSV files: the header, the passes over the text and the two reading paths (fast and exact)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb
import numpy as np

from pipelines.columns import FileLayout, HeaderError, recognise_header
from pipelines.jptext import BLANK_CHARS
from pipelines.readers import codes
from pipelines.readers.codes import (
    REASONS,
    SEPARATORS,
    FileRefused,
    Progress,
    ReadLimits,
    _refuse,
    _size_text,
)
from pipelines.readers.csv_scan import (
    _BARE_CR,
    _BLANK,
    F_BAD_QUOTE,
    F_BARE_CR,
    F_CRLF,
    F_LF,
    _Bad,
    _classify,
    _RecordScan,
    _split,
)
from pipelines.readers.encodings import (
    _ISO2022_CODECS,
    _ISO2022_ESCAPE,
    _BadEncoding,
    _is_ascii,
    _legacy_encoding,
    _line_at,
    _Restart,
    _stream_decode,
    _stream_utf8,
    _utf16_without_bom,
)
from pipelines.readers.staging import (
    Part,
    Reject,
    Staged,
    _fresh_name,
    _Reader,
    _RowBuffer,
    _Scratch,
    _TableStaged,
)

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
            if len(self.pending_data) >= codes.CHUNK_BYTES:
                raise _refuse(self.name, "HEADER_TOO_LATE", size=_size_text(codes.CHUNK_BYTES))
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
                    piece = os.pread(fd, min(codes.CHUNK_BYTES, hi - lo), lo)
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
