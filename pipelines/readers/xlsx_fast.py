"""Workbooks read by calamine (Rust): the same rows, cells and rejects as the openpyxl reader, ~10× faster.

``pipelines.readers.xlsx`` decides which reader a workbook gets. calamine returns each cell's value
(the stored value of a formula) but says nothing of formulas or error cells, so a workbook whose
sheets hold any (``has_formulas_or_errors``) is read by openpyxl as before; everything else — what
office systems export — comes here. The cells then go through the same ``_cell_text`` and
``_add_row`` as the openpyxl reader's, so the text of every value and every quarantine line is the
same: a whole-day date cell (calamine: a ``date``) is the midnight ``datetime`` openpyxl gives.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.columns import FileLayout
from pipelines.jptext import BLANK_CHARS
from pipelines.readers.codes import ReadLimits, _refuse
from pipelines.readers.staging import _RowBuffer

# A formula (<f>, <f …/>) or an error cell (t="e") in sheet XML; the literal tests are memchr-fast,
# the pattern only runs where a namespace prefix may hide a formula (<x:f>).
_LITERALS = (b"<f>", b"<f ", b"<f/", b't="e"', b"t='e'")
_PREFIXED_FORMULA = re.compile(rb"<\w+:f[\s>/]")
_CHUNK = 1 << 20
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)


def has_formulas_or_errors(path: Path) -> bool:
    """True when any worksheet's XML holds a formula or an error cell (read in 1 MiB pieces)."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not re.fullmatch(r"(?:.*/)?worksheets/[^/]+\.xml", info.filename):
                continue
            with zf.open(info) as fh:
                tail = b""
                while chunk := fh.read(_CHUNK):
                    if _exact_only(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _exact_only(xml: bytes) -> bool:
    if any(literal in xml for literal in _LITERALS):
        return True
    return b":f" in xml and _PREFIXED_FORMULA.search(xml) is not None


def workbook_epoch(path: Path) -> datetime:
    """The workbook's date epoch: 1904-01-01 for a Mac 1904-date workbook, else Excel's 1899-12-30."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.endswith("workbook.xml")]
        if not names:
            return _EPOCH_1900
        head = zf.read(names[0])[:65536]
    found = re.search(rb"date1904\s*=\s*[\"'](1|true)[\"']", head)
    return _EPOCH_1904 if found else _EPOCH_1900


def _value(value: object) -> object:
    """calamine's value as openpyxl gives it: a whole-day date cell is a midnight datetime."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


@dataclass
class _Reading:
    """What the rows read so far left: the header's layout, counts, rows and rejects."""

    name: str
    limits: ReadLimits
    epoch: datetime
    layout: FileLayout | None = None
    header_row: int = 0
    last_row: int = 0
    data_rows: int = 0
    names: dict[int, str] = field(default_factory=dict)
    buffer: _RowBuffer | None = None
    rejects: list = field(default_factory=list)

    def text(self, value: object, column: str | None) -> str | None:
        """One cell as the openpyxl reader words it (None: blank)."""
        from pipelines.readers.xlsx import _cell_text

        if value.__class__ is str:
            return value if value.strip(BLANK_CHARS) else None  # type: ignore[attr-defined]
        return _cell_text(_value(value), column, self.epoch)

    def header(self, number: int, cells: list) -> bool:
        """Take the row as the header if it holds a value; True when it did."""
        from pipelines.columns import recognise_header

        values = {c: v for c, v in enumerate(cells, start=1) if self.text(v, None)}
        if not values:
            return False
        used = max(values)
        if used > self.limits.max_columns:
            raise _refuse(self.name, "LIMIT_COLUMNS", found=used, limit=self.limits.max_columns)
        self.layout = recognise_header(
            [self.text(values.get(c), None) or "" for c in range(1, used + 1)]
        )
        self.names = {index + 1: canonical for canonical, index in self.layout.columns.items()}
        self.buffer = _RowBuffer(self.layout.width)
        self.header_row = number
        return True

    def column(self, values: tuple, column: str | None) -> pa.Array:
        """A column of cells as text, blank → null: text cells in Arrow, others one by one."""
        try:
            array = pa.array(values, type=pa.string())
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            return pa.array([self.text(v, column) for v in values], type=pa.string())
        return pc.if_else(pc.equal(pc.utf8_trim(array, BLANK_CHARS), ""), None, array)

    def rows(self, first: int, chunk: list[list]) -> None:
        """Rows first, first + 1, … (after the header) into the buffer, rejects and counts."""
        from pipelines.readers.xlsx import _add_row, _Row

        assert self.layout is not None
        assert self.buffer is not None
        width, n = self.layout.width, len(chunk)
        columns = list(zip(*chunk, strict=True))
        columns += [(None,) * n] * (width - len(columns))
        texts = [self.column(columns[c], self.names.get(c + 1)) for c in range(width)]
        blank = np.ones(n, dtype=bool)
        for array in texts:
            blank &= array.is_null().to_numpy(zero_copy_only=False)
        beyond = np.zeros(n, dtype=bool)
        for values in columns[width:]:
            beyond |= ~self.column(values, None).is_null().to_numpy(zero_copy_only=False)
        blank &= ~beyond
        numbers = np.arange(first, first + n, dtype=np.int64)
        kept = numbers[~blank]
        if len(kept):
            self.last_row = int(kept[-1])
        self.data_rows += len(kept)
        if self.data_rows > self.limits.max_rows:
            raise _refuse(self.name, "LIMIT_ROWS", limit=self.limits.max_rows)
        for i in np.flatnonzero(
            beyond
        ):  # too many values: the reject as openpyxl's reader words it
            values = {c: _value(v) for c, v in enumerate(chunk[i], start=1) if self.text(v, None)}
            row = _Row(int(numbers[i]), values, {})
            _add_row(row, width, self.names, self.epoch, self.buffer, self.rejects)
        good = ~blank & ~beyond
        mask = pa.array(good)
        names = [f"c{i}" for i in range(width)]
        self.buffer.batches.append(
            pa.RecordBatch.from_arrays([a.filter(mask) for a in texts], names=names)
        )
        self.buffer.lines.extend(numbers[good].tolist())


CHUNK_ROWS = 65536


def read_sheet(sheet: object, name: str, limits: ReadLimits, epoch: datetime) -> object | None:
    """One calamine sheet's rows as the openpyxl reader's ``_Sheet``; None when it holds no value.

    Raises HeaderError when it holds data but no recognisable header, FileRefused over a limit.
    The cells are read in chunks, a column at a time: text cells (most of them) in Arrow, the others
    worded by the openpyxl reader's ``_cell_text``, a row with a value past the header by its
    ``_add_row``, so every value and reject reads as that reader's.
    """
    from pipelines.readers.xlsx import _Sheet

    start = sheet.start  # type: ignore[attr-defined]
    if start is None:
        return None
    pad = [None] * start[1]  # calamine's rows begin at the first used column
    rows = sheet.iter_rows()  # type: ignore[attr-defined]
    reading = _Reading(name, limits, epoch)
    number = 0
    for cells in rows:
        number += 1
        if reading.header(number, pad + cells):
            break
    if reading.layout is None or reading.buffer is None:
        return None
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        if pad:
            chunk = [pad + cells for cells in chunk]
        reading.rows(number + 1, chunk)
        number += len(chunk)
    first = reading.header_row
    blank = (first - 1) + max(reading.last_row - first, 0) - reading.data_rows
    return _Sheet(reading.layout, reading.buffer, reading.rejects, blank)
