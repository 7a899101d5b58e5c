"""Workbooks read by calamine (Rust): the same rows, cells and rejects as the openpyxl reader, ~10× faster.

``pipelines.readers.xlsx`` decides which reader a workbook gets. calamine returns each cell's value
(the stored value of a formula) but says nothing of formulas or error cells, so a workbook whose
sheets hold any (``has_formulas_or_errors``) is read by openpyxl as before; everything else — what
office systems export — comes here. The cells then go through the same ``_cell_text`` and
``_add_row`` as the openpyxl reader's, so the text of every value and every quarantine line is the
same: a whole-day date cell (calamine: a ``date``) is the midnight ``datetime`` openpyxl gives.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from pipelines.readers.codes import ReadLimits, _refuse
from pipelines.readers.csv_scan import is_blank
from pipelines.readers.staging import _RowBuffer

# A formula (<f>, <f …/>, with or without a namespace prefix) or an error cell (t="e") in sheet XML.
_EXACT_ONLY = re.compile(rb"<(?:\w+:)?f[\s>/]|\bt=[\"']e[\"']")
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
                    if _EXACT_ONLY.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


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


def read_sheet(sheet: object, name: str, limits: ReadLimits, epoch: datetime) -> object | None:
    """One calamine sheet's rows as the openpyxl reader's ``_Sheet``; None when it holds no value.

    Raises HeaderError when it holds data but no recognisable header, FileRefused over a limit.
    """
    from pipelines.columns import recognise_header
    from pipelines.readers.xlsx import _add_row, _cell_text, _Row, _Sheet

    start = sheet.start  # type: ignore[attr-defined]
    if start is None:
        return None
    first_column = start[1] + 1  # calamine's rows begin at the first used column
    layout = buffer = None
    names: dict[int, str] = {}
    rejects: list = []
    header_row = last_row = data_rows = 0
    for number, cells in enumerate(sheet.iter_rows(), start=1):  # type: ignore[attr-defined]
        values = {
            first_column + i: _value(v)
            for i, v in enumerate(cells)
            if v != "" and not (isinstance(v, str) and is_blank(v))
        }
        if not values:
            continue
        if layout is None:
            width = max(values)
            if width > limits.max_columns:
                raise _refuse(name, "LIMIT_COLUMNS", found=width, limit=limits.max_columns)
            header = [_cell_text(values.get(c), None, epoch) or "" for c in range(1, width + 1)]
            layout = recognise_header(header)
            names = {index + 1: canonical for canonical, index in layout.columns.items()}
            buffer = _RowBuffer(layout.width)
            header_row = number
            continue
        last_row = number
        data_rows += 1
        if data_rows > limits.max_rows:
            raise _refuse(name, "LIMIT_ROWS", limit=limits.max_rows)
        _add_row(_Row(number, values, {}), layout.width, names, epoch, buffer, rejects)
    if layout is None or buffer is None:
        return None
    blank = (header_row - 1) + max(last_row - header_row, 0) - data_rows
    return _Sheet(layout, buffer, rejects, blank)
