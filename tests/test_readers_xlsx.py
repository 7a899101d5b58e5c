"""Workbooks: every sheet accounted for (read, skipped by name, hidden or empty), 1904 dates, formula
cells without a value, and a refused workbook leaves the database as it was.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from pipelines.__main__ import main
from pipelines.loader import load_files
from pipelines.readers import (
    FileRefused,
)
from tests.conftest import file_digest
from tests.reading import HEADER, INQUIRY_SHEET, load, quarantined, refusal, rows, workbook


def test_unrecognised_sheet_with_data_refuses_the_workbook_naming_it(tmp_path: Path) -> None:
    """Issue: an unrecognised sheet's 51 rows were dropped without a word. Now the workbook is refused."""
    memo = [["メモ"], *[[f"note {i}"] for i in range(51)]]
    path = workbook(tmp_path / "book.xlsx", {"受付": INQUIRY_SHEET, "Memo": memo})
    exc = refusal(path)
    assert exc.code == "SHEET_UNRECOGNISED"
    assert exc.params["sheet"] == "Memo"
    assert "'Memo'" in str(exc)
    assert "--skip-sheet Memo" in str(exc)


@pytest.mark.slow
def test_a_sheet_named_to_skip_is_skipped_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """skip_sheets / --skip-sheet NAME loads the rest and says which sheet was left out."""
    path = workbook(tmp_path / "book.xlsx", {"受付": INQUIRY_SHEET, "Memo": [["メモ"], ["x"]]})
    part, _db = load(path, skip_sheets=["Memo"])
    assert (part.sheet, part.rows_loaded) == ("受付", 1)
    assert part.skipped_sheets == (("Memo", "SHEET_SKIPPED"),)
    assert "'Memo'" in part.summary()
    db2 = tmp_path / "cli.duckdb"
    assert main(["load", str(path), "--skip-sheet", "Memo", "--lang", "en", "--db", str(db2)]) == 0
    out = capsys.readouterr().out
    assert "sheets not loaded: 'Memo'" in out
    assert rows(db2, "SELECT inquiry_id FROM inquiries") == [("Q1",)]


def test_hidden_sheets_are_skipped_and_reported(tmp_path: Path) -> None:
    """Issue: a hidden sheet's rows replaced the visible sheet's. Hidden sheets are not loaded."""
    hidden = [["inquiry_id", "received_at", "customer_name"], ["Q1", "2020-01-01", "古いデータ"]]
    path = workbook(tmp_path / "book.xlsx", {"受付": INQUIRY_SHEET, "old": hidden}, hidden=("old",))
    part, db = load(path)
    assert part.skipped_sheets == (("old", "SHEET_HIDDEN"),)
    assert rows(db, "SELECT inquiry_id, customer_name FROM inquiries") == [("Q1", "山田")]
    only_hidden = workbook(tmp_path / "hidden.xlsx", {"a": [[]], "old": hidden}, hidden=("old",))
    assert refusal(only_hidden).code == "ALL_SHEETS_SKIPPED"


def test_empty_sheets_are_ignored(tmp_path: Path) -> None:
    """An empty sheet (or one with only empty styled cells) holds nothing to account for."""
    path = workbook(
        tmp_path / "book.xlsx", {"Sheet2": [], "受付": INQUIRY_SHEET, "Sheet3": [[None, ""]]}
    )
    result = load_files([path], tmp_path / "t.duckdb")
    assert [(p.sheet, p.rows_loaded, p.skipped_sheets) for p in result.parts] == [("受付", 1, ())]
    assert (
        refusal(workbook(tmp_path / "empty.xlsx", {"a": [], "b": []})).code == "NO_SHEET_WITH_DATA"
    )


def test_1904_date_workbooks_are_read_right(tmp_path: Path) -> None:
    """Issue: a Mac 1904-date workbook's plain serials were four years off."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "requested_for"])
    ws.append(["Q1", 45000, datetime(2026, 11, 30)])  # a plain serial, and a date cell
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    _, db = load(path)
    assert rows(db, "SELECT received_at, requested_for FROM inquiries") == [
        (datetime(2027, 3, 16), datetime(2026, 11, 30))  # 1904-01-01 + 45000 days
    ]


def test_formula_cells_without_a_stored_value_are_quarantined(tmp_path: Path) -> None:
    """Issue: formula cells with no stored value (written by a program, never opened in Excel) read as blank."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "customer_name"])
    ws.append(["Q1", "2026-11-24", "山田"])
    ws.append(["Q2", "=TODAY()", "佐藤"])
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    part, db = load(path)
    assert (part.rows_loaded, part.rows_quarantined) == (1, 1)
    [(line, col, reason)] = quarantined(db)
    assert (line, col) == (3, "received_at")
    assert reason.startswith("received_at: formula =TODAY() has no stored value")


def test_database_untouched_when_a_workbook_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    seed = tmp_path / "seed.csv"
    seed.write_text(HEADER + "Q0,2026-11-24,x\n", encoding="utf-8")
    load_files([seed], db)
    before = file_digest(db)
    path = workbook(tmp_path / "book.xlsx", {"受付": INQUIRY_SHEET, "Memo": [["メモ"], ["x"]]})
    with pytest.raises(FileRefused):
        load_files([path], db)
    assert file_digest(db) == before
