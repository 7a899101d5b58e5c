"""Excel workbooks with typed cells: the Excel route for every table people download.

A CSV cannot tell Excel that 0312345678 is text (Excel drops the leading zero) without a formula such
as ="0312345678", which a formula-safe file must not contain (docs/data-format.md). A workbook can:

- text (IDs, phone numbers, postal codes, names, messages) is written as text cells, never parsed
  as a number or a formula; text that starts like a formula (= + - @, tab, CR) also carries Excel's
  quote prefix, so editing the cell later does not turn it into one either (no apostrophe shows);
- dates are date cells (with the time when there is one), yen and minutes number cells;
- the header row is bold and frozen, columns are sized to their contents (up to a limit).

Which kind a cell gets comes from the values, not from guessing at text: a string is always text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import date, datetime

import numpy as np
import pandas as pd
import xlsxwriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60  # characters; longer text wraps in the cell instead
SHEET_NAME_CHARS = 31  # Excel's limit


def frame_xlsx(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """One table as an .xlsx workbook (bytes) with typed cells and a frozen, bold header row."""
    return sheets_xlsx({sheet: frame})


def sheets_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Several tables as one .xlsx workbook (bytes), one sheet each, in order."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    styles = _Styles(book)
    used: set[str] = set()
    for name, frame in sheets.items():
        title = _sheet_name(name, used)
        used.add(title.lower())
        _write_sheet(book.add_worksheet(title), frame, styles)
    book.close()
    return out.getvalue()


class _Styles:
    """The few cell formats a workbook needs, made once per workbook."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#EEF1F6", "border": 1})
        self.text = book.add_format({"num_format": "@"})
        self.guarded = book.add_format({"num_format": "@", "quote_prefix": True})
        self.wrapped = book.add_format({"num_format": "@", "text_wrap": True, "valign": "top"})
        self.day = book.add_format({"num_format": "yyyy/mm/dd"})
        self.stamp = book.add_format({"num_format": "yyyy/mm/dd hh:mm"})
        self.integer = book.add_format({"num_format": "#,##0"})
        self.decimal = book.add_format({"num_format": "#,##0.0##"})


def _write_sheet(sheet: object, frame: pd.DataFrame, styles: _Styles) -> None:
    widths = []
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, str(name), styles.header)
        widths.append(_width(str(name)))
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for col, value in enumerate(values):
            shown = _write_cell(sheet, row, col, value, styles)
            widths[col] = max(widths[col], _width(shown))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width + 2, MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if len(frame.columns):
        sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)


def _write_cell(sheet: object, row: int, col: int, value: object, styles: _Styles) -> str:
    """Write one value as its kind of cell; return the text it shows (for the column width)."""
    if _blank(value) or (isinstance(value, str) and not value):
        return ""  # an empty cell, not an empty text
    if isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value))
        return "FALSE"
    if isinstance(value, pd.Timestamp | datetime | np.datetime64):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("Asia/Tokyo").tz_localize(None)
        whole_day = stamp == stamp.normalize()
        sheet.write_datetime(
            row, col, stamp.to_pydatetime(), styles.day if whole_day else styles.stamp
        )
        return "2026/11/20" if whole_day else "2026/11/20 12:00"
    if isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), styles.day)
        return "2026/11/20"
    if isinstance(value, int | np.integer):
        sheet.write_number(row, col, int(value), styles.integer)
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isinf(number):
            return _write_text(sheet, row, col, str(number), styles)
        sheet.write_number(row, col, number, styles.decimal)
        return f"{number:,.3f}"
    if isinstance(value, list | tuple | np.ndarray):
        return _write_text(sheet, row, col, ", ".join(str(v) for v in value), styles)
    return _write_text(sheet, row, col, str(value), styles)


def _write_text(sheet: object, row: int, col: int, text: str, styles: _Styles) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    style = styles.text
    if text.startswith(FORMULA_START):
        style = styles.guarded
    elif "\n" in text or len(text) > MAX_WIDTH:
        style = styles.wrapped
    sheet.write_string(row, col, text, style)
    return max(text.split("\n"), key=len)


def _blank(value: object) -> bool:
    if isinstance(value, list | tuple | np.ndarray):
        return False
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _width(text: str) -> int:
    """Display width in Excel's character units: East Asian wide characters count twice."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\ characters, at most 31 characters."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name).strip("'") or "Sheet"
    clean = clean[:SHEET_NAME_CHARS]
    title, n = clean, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = clean[: SHEET_NAME_CHARS - len(suffix)] + suffix
        n += 1
    return title
