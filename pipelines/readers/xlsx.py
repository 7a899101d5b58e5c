"""Workbooks (.xlsx): every sheet accounted for, rows read from the sheet XML directly."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import duckdb

from pipelines.columns import FileLayout, HeaderError, recognise_header
from pipelines.readers import xlsx_fast
from pipelines.readers.codes import (
    DATE_COLUMNS,
    FileRefused,
    MiB,
    Progress,
    ReadLimits,
    _refuse,
    _size_text,
)
from pipelines.readers.csv_scan import is_blank
from pipelines.readers.staging import Part, Reject, Skipped, Staged, _Reader, _RowBuffer

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


def _row_values(cells: object) -> tuple[dict[int, object], dict[int, str]]:
    """A parsed row's non-blank values and its formulas without a stored value, by column number."""
    values: dict[int, object] = {}
    formulas: dict[int, str] = {}
    for cell in cells:  # type: ignore[attr-defined]
        value = cell["value"]
        if value is None:
            continue
        if cell["data_type"] == "formula":
            formulas[cell["column"]] = value
        elif not (isinstance(value, str) and is_blank(value)):
            values[cell["column"]] = value
    return values, formulas


@dataclass
class _Row:
    number: int
    values: dict[int, object]
    formulas: dict[int, str]


def _add_row(
    row: _Row,
    width: int,
    names: dict[int, str],
    epoch: datetime,
    buffer: _RowBuffer,
    rejects: list[Reject],
) -> None:
    """A data row into the buffer, or into rejects (too many values, a formula without a value)."""
    values, formulas = row.values, row.formulas
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
        params = {"found": used, "width": width}
        rejects.append(Reject(row.number, raw, "WRONG_COLUMN_COUNT", params))
        return
    mapped = [c for c in formulas if c in names]
    if mapped:
        column = names[mapped[0]]
        params = {"value": formulas[mapped[0]]}
        rejects.append(Reject(row.number, raw, "FORMULA_WITHOUT_VALUE", params, column=column))
        return
    buffer.add(
        row.number, [_cell_text(values.get(c), names.get(c), epoch) for c in range(1, width + 1)]
    )


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
            values, formulas = _row_values(cells)
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
            row = _Row(row_number, values, formulas)
            _add_row(row, layout.width, names, epoch, buffer, rejects)
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
    _check_zip(path, name, limits)
    if progress:
        progress(size)
    try:
        exact = xlsx_fast.has_formulas_or_errors(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise _refuse(name, "BAD_WORKBOOK", error=f"truncated or corrupt: {exc}") from None
    if not exact:
        try:
            parts, skipped = _open_with_calamine(path, name, limits, skip_sheets)
        except _NeedsExact:
            exact = True
    if exact:
        parts, skipped = _open_with_openpyxl(path, name, limits, skip_sheets)
    if not parts:
        if skipped:
            raise _refuse(
                name, "ALL_SHEETS_SKIPPED", sheets=", ".join(f"{s.sheet!r}" for s in skipped)
            )
        raise _refuse(name, "NO_SHEET_WITH_DATA")
    return parts, skipped


class _NeedsExact(Exception):
    """A sheet calamine would pad to a needlessly wide grid: the workbook goes to openpyxl."""


def _read_one(name: str, title: str, read: Callable[[], _Sheet | None]) -> _Sheet | None:
    """read() one sheet, its failures as the workbook's refusal naming the sheet."""
    try:
        return read()
    except HeaderError as exc:
        raise _refuse(name, "SHEET_UNRECOGNISED", sheet=title, detail=str(exc)) from None
    except (FileRefused, _NeedsExact):
        raise
    except Exception as exc:
        raise _refuse(
            name, "SHEET_UNREADABLE", sheet=title, error=f"{type(exc).__name__}: {exc}"
        ) from None


def _open_with_calamine(
    path: Path, name: str, limits: ReadLimits, skip_sheets: set[str]
) -> tuple[list[Part], list[Skipped]]:
    """Every sheet of a workbook without formulas or error cells, read by calamine (xlsx_fast)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    epoch = xlsx_fast.workbook_epoch(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds on damaged archives
        raise _refuse(name, "BAD_WORKBOOK", error=f"{type(exc).__name__}: {exc}") from None
    parts: list[Part] = []
    skipped: list[Skipped] = []
    with workbook:
        for meta in workbook.sheets_metadata:
            title = meta.name
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # a chart sheet holds no rows (openpyxl does not list it either)
            if title in skip_sheets:
                skipped.append(Skipped(title, "SHEET_SKIPPED"))
                continue
            if meta.visible != SheetVisibleEnum.Visible:
                skipped.append(Skipped(title, "SHEET_HIDDEN"))
                continue

            def read(title: str = title) -> _Sheet | None:
                sheet = workbook.get_sheet_by_name(title)
                if sheet.end is not None and sheet.end[1] - sheet.start[1] >= limits.max_columns:
                    raise _NeedsExact  # rows would be padded to the far column: per-value reading
                return xlsx_fast.read_sheet(sheet, name, limits, epoch)

            sheet = _read_one(name, title, read)
            if sheet is not None:
                parts.append(Part(name, title, "xlsx", sheet.layout, _SheetReader(sheet)))
    return parts, skipped


def _open_with_openpyxl(
    path: Path, name: str, limits: ReadLimits, skip_sheets: set[str]
) -> tuple[list[Part], list[Skipped]]:
    """Every sheet of a workbook read by openpyxl, which also tells formulas without a stored value."""
    import openpyxl

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
                sheet = _read_one(
                    name, title, lambda ws=ws: _read_sheet(ws, workbook, name, limits)
                )
                if sheet is not None:  # an empty sheet holds nothing to account for
                    parts.append(Part(name, title, "xlsx", sheet.layout, _SheetReader(sheet)))
        finally:
            workbook.close()
    return parts, skipped
