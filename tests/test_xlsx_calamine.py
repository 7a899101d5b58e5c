"""Workbooks read by calamine give the same rows, line numbers, rejects and blank counts as openpyxl.

The load reads a workbook without formulas or error cells with calamine (pipelines.readers.xlsx_fast),
~10× faster; the openpyxl reader stays for the rest. Each case here is read both ways and compared
cell by cell, then loaded to check which reader the load used and what it stored.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
import xlsxwriter

from pipelines.readers import ReadLimits, xlsx
from pipelines.readers.xlsx_fast import has_formulas_or_errors, workbook_epoch
from tests.reading import load, quarantined, rows, workbook

LIMITS = ReadLimits()


def _both(path: Path) -> tuple[list[tuple], list[tuple]]:
    """What each reader made of every sheet: (sheet, columns, cells by row, lines, rejects, blank)."""

    def seen(parts: list, skipped: list) -> list[tuple]:
        out = []
        for part in parts:
            sheet = part.reader.sheet
            sheet.buffer.flush()
            table = pa.Table.from_batches(sheet.buffer.batches) if sheet.buffer.batches else None
            out.append(
                (
                    part.sheet,
                    dict(part.layout.columns),
                    table.to_pylist() if table is not None else [],
                    list(sheet.buffer.lines),
                    [(r.line, r.raw, r.code, r.params, r.column) for r in sheet.rejects],
                    sheet.blank,
                )
            )
        return out + [("skipped", s.sheet, s.code) for s in skipped]

    fast = seen(*xlsx._open_with_calamine(path, path.name, LIMITS, set()))
    exact = seen(*xlsx._open_with_openpyxl(path, path.name, LIMITS, set()))
    return fast, exact


ROWS = [
    [
        "問い合わせID",
        "受付日時",
        "customer_name",
        "target_phone",
        "requested_for",
        "staff_minutes",
        "message",
    ],
    [
        "Q0001",
        datetime(2026, 11, 24, 9, 5, 7),
        "山田 太郎",
        "0312345678",
        "令和8年11月30日",
        15,
        "至急",
    ],
    ["00042", datetime(2026, 11, 24), "佐藤", "090-1234-5678", date(2026, 12, 1), 15.5, None],
    [None, None, None, None, None, None, None],  # an empty row between data rows
    ["Q3", 46351.5, "  ", "", "R8.12.3", "十五", 'a, "quoted"\nline'],
    ["Q4", "2026/11/24 10:00", "鈴木", 312345678, 46358, -3, "+81-3-1234-5678"],
    ["Q5", "bad date", "高橋", None, time(10, 30), 1e20, True],
    ["Q6", datetime(2026, 11, 25, 13, 0, 0, 500000), "伊藤", "０３１２", None, 0.1, "x\ty"],
]


def test_openpyxl_written_workbook_reads_the_same_both_ways(tmp_path: Path) -> None:
    """Dates and times, 和暦 text, numbers as text with leading zeros, empty rows, odd numbers."""
    path = workbook(tmp_path / "a.xlsx", {"受付": ROWS, "空": [], "old": ROWS[:2]}, hidden=("old",))
    assert not has_formulas_or_errors(path)
    fast, exact = _both(path)
    assert fast == exact
    [(_, _, cells, lines, rejects, blank), *_] = fast
    assert lines == [2, 3, 5, 6, 7, 8]
    assert blank == 1
    assert rejects == []
    assert cells[0]["c1"] == "2026-11-24 09:05:07"
    assert cells[0]["c3"] == "0312345678"
    assert cells[1]["c0"] == "00042"
    assert cells[1]["c1"] == "2026-11-24 00:00:00"
    assert cells[3]["c3"] == "312345678"  # a number cell: no leading zero to keep
    assert fast[-1] == ("skipped", "old", "SHEET_HIDDEN")


def test_xlsxwriter_and_pandas_workbooks_read_the_same_both_ways(tmp_path: Path) -> None:
    """Other writers: xlsxwriter's shared strings and date formats, pandas' default writer."""
    path = tmp_path / "w.xlsx"
    book = xlsxwriter.Workbook(path, {"strings_to_numbers": False})
    sheet = book.add_worksheet("受付")
    day = book.add_format({"num_format": "yyyy/mm/dd"})
    stamp = book.add_format({"num_format": "yyyy/mm/dd hh:mm"})
    sheet.write_row(0, 2, ["inquiry_id", "received_at", "requested_for", "customer_name"])
    sheet.write_row(3, 2, ["Q1", None, None, "山田"])  # data starts at C4, after blank rows
    sheet.write_datetime(3, 3, datetime(2026, 11, 24, 9, 30), stamp)
    sheet.write_datetime(3, 4, datetime(2026, 11, 30), day)
    sheet.write_row(4, 2, ["0007", "令和8年11月24日", "", "R\r\nx"])
    sheet.write_row(6, 2, ["Q9", 46350, 46351.25, "extra", "too many"])  # a value past the header
    book.close()
    fast, exact = _both(path)
    # the one difference: a carriage return is stored as the escape _x000D_, which openpyxl's
    # read-only reader leaves as that text; calamine gives the character Excel shows
    assert exact[0][2][1]["c5"] == "R_x000D_\nx"
    exact[0][2][1]["c5"] = "R\r\nx"
    assert fast == exact
    [(_, _, cells, lines, rejects, blank)] = fast
    assert lines == [4, 5]
    assert blank == 3  # rows 2, 3 and 6
    assert [(r[0], r[2]) for r in rejects] == [(7, "WRONG_COLUMN_COUNT")]
    assert cells[0]["c3"] == "2026-11-24 09:30:00"  # columns A and B are empty
    assert cells[0]["c4"] == "2026-11-30 00:00:00"

    frame = tmp_path / "p.xlsx"
    pd.DataFrame(
        {
            "inquiry_id": ["Q1", "Q2", None],
            "event_at": [datetime(2026, 11, 24, 13, 5), 46351.5, None],
            "event": ["quote_sent", "見積送信", None],
            "amount_jpy": [5000, None, 12.0],
        }
    ).to_excel(frame, index=False)
    fast, exact = _both(frame)
    assert fast == exact


def test_1904_workbook_reads_the_same_both_ways(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "requested_for"])
    ws.append(["Q1", 45000, datetime(2026, 11, 30)])
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    assert workbook_epoch(path) == datetime(1904, 1, 1)
    fast, exact = _both(path)
    assert fast == exact
    assert fast[0][2][0]["c1"] == "2027-03-16 00:00:00"


def test_formulas_and_error_cells_go_to_openpyxl(tmp_path: Path) -> None:
    """calamine cannot tell a formula without a stored value or an error cell: openpyxl reads those."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "customer_name"])
    ws.append(["Q1", "2026-11-24", "#N/A"])
    path = tmp_path / "err.xlsx"
    wb.save(path)
    assert has_formulas_or_errors(path)  # "#N/A" is written as an error cell
    ws.append(["Q2", "=TODAY()", "佐藤"])
    wb.save(path)
    assert has_formulas_or_errors(path)
    part, db = load(path)
    assert (part.rows_loaded, part.rows_quarantined) == (1, 1)
    assert rows(db, "SELECT customer_name FROM inquiries") == [("#N/A",)]


@pytest.mark.slow
def test_a_load_through_calamine_stores_what_the_old_reader_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole load, each way: the same inquiries and the same quarantine lines."""
    path = workbook(tmp_path / "a.xlsx", {"受付": ROWS})
    calls = []
    real = xlsx._open_with_calamine
    monkeypatch.setattr(xlsx, "_open_with_calamine", lambda *a: calls.append(1) or real(*a))
    query = "SELECT * EXCLUDE (load_id) FROM inquiries ORDER BY inquiry_id"
    part, db = load(path, tmp_path / "fast.duckdb")
    assert calls == [1]
    stored, lines = rows(db, query), quarantined(db)
    monkeypatch.setattr(xlsx, "_open_with_calamine", _refuse_calamine)
    part_exact, db_exact = load(path, tmp_path / "exact.duckdb")
    assert (part.rows_loaded, part.rows_quarantined, part.rows_blank) == (
        part_exact.rows_loaded,
        part_exact.rows_quarantined,
        part_exact.rows_blank,
    )
    assert stored == rows(db_exact, query)
    assert lines == quarantined(db_exact)
    assert [line for line, *_ in lines] == [3, 5, 6, 7, 8]


def _refuse_calamine(*_args: object) -> None:
    raise xlsx._NeedsExact


def test_a_value_far_to_the_right_is_read_per_value(tmp_path: Path) -> None:
    """A stray value in column XFD would pad every calamine row to 16,384 cells: openpyxl reads it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "customer_name"])
    ws.append(["Q1", "2026-11-24", "山田"])
    ws["XFD3"] = "stray"
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    with pytest.raises(xlsx._NeedsExact):
        xlsx._open_with_calamine(path, path.name, LIMITS, set())
    part, db = load(path)
    assert (part.rows_loaded, part.rows_quarantined) == (1, 1)
    assert [code for _, _, code in quarantined(db)] != []


def test_time_and_duration_cells_read_the_same_both_ways(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "note"])
    ws.append(["Q1", datetime(2026, 11, 24, 23, 59, 59), timedelta(hours=26)])
    ws["C2"].number_format = "[h]:mm:ss"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    fast, exact = _both(path)
    assert fast == exact
