"""Excel downloads (pipelines/xlsx.py): real .xlsx files read back with openpyxl, cell by cell.

IDs, phone numbers and postal codes are text (0312345678 keeps its zero), dates are dates, yen and
minutes numbers, and text that starts like a formula is a text cell with Excel's quote prefix."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipelines.__main__ import main
from pipelines.i18n import t
from pipelines.worklist import CSV_COLUMNS
from pipelines.xlsx import frame_xlsx, sheets_xlsx
from tests.conftest import dashboard
from tests.test_cli import today_db  # noqa: F401  (the fixture: phones with a zero, +81, a formula)


def _sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def test_each_kind_of_value_gets_its_kind_of_cell() -> None:
    """Text stays text (leading zeros, postal codes, +81), dates are dates, numbers numbers, blanks
    empty; formulas are never written."""
    frame = pd.DataFrame(
        {
            "id": ["Q0001", "0042"],
            "phone": ["0312345678", "+81-90-1234-5678"],
            "postal": ["060-0001", "0600001"],
            "day": [date(2026, 11, 20), None],
            "at": pd.to_datetime(["2026-11-20 14:05", "2026-11-21 00:00"]),
            "yen": pd.array([12000, None], dtype="Int64"),
            "minutes": [27.5, 0.0],
            "note": ['=HYPERLINK("http://x")', "@SUM(A1)"],
        }
    )
    ws = _sheet(frame_xlsx(frame, "t"))
    assert [c.value for c in ws[1]] == list(frame.columns)
    row2 = {ws.cell(1, i).value: ws.cell(2, i) for i in range(1, 9)}
    row3 = {ws.cell(1, i).value: ws.cell(3, i) for i in range(1, 9)}
    assert (row2["id"].value, row2["id"].data_type) == ("Q0001", "s")
    assert (row3["id"].value, row3["id"].data_type) == ("0042", "s")
    assert (row2["phone"].value, row2["phone"].data_type) == ("0312345678", "s")
    assert (row3["phone"].value, row3["phone"].data_type) == ("+81-90-1234-5678", "s")
    assert row3["phone"].quotePrefix  # editing the cell keeps it text
    assert (row3["postal"].value, row3["postal"].data_type) == ("0600001", "s")
    assert row2["day"].value == datetime(2026, 11, 20)
    assert row2["day"].is_date
    assert row3["day"].value is None
    assert row2["at"].value == datetime(2026, 11, 20, 14, 5)
    assert row2["at"].is_date
    assert row3["at"].number_format == "yyyy/mm/dd"  # a whole day shows no 00:00
    assert (row2["yen"].value, row2["yen"].data_type) == (12000, "n")
    assert row3["yen"].value is None
    assert (row2["minutes"].value, row2["minutes"].data_type) == (27.5, "n")
    assert (row2["note"].value, row2["note"].data_type) == ('=HYPERLINK("http://x")', "s")
    assert row2["note"].quotePrefix
    assert (row3["note"].value, row3["note"].data_type) == ("@SUM(A1)", "s")
    assert ws.freeze_panes == "A2"


def test_several_sheets_get_valid_unique_names() -> None:
    """Sheet names lose characters Excel refuses, are cut to 31 characters and never repeat."""
    book = openpyxl.load_workbook(
        io.BytesIO(sheets_xlsx({"a/b": pd.DataFrame({"x": [1]}), "a:b": pd.DataFrame({"x": [2]})}))
    )
    assert book.sheetnames == ["a_b", "a_b (2)"]
    assert book.worksheets[1]["A2"].value == 2


@pytest.mark.slow
def test_today_xlsx_from_the_cli(
    today_db: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`today --xlsx FILE`: the same items and headings as the CSV, phone numbers as text with their
    zero, the requested date a date, the amount a number; with --json stdout stays JSON."""
    out = tmp_path / "today.xlsx"
    args = ["today", "--as-of", "2026-11-24", "--lang", "en", "--xlsx", str(out)]
    assert main([*args, "--db", str(today_db)]) == 0
    assert "4 items" in capsys.readouterr().out
    ws = _sheet(out.read_bytes())
    header = [c.value for c in ws[1]]
    assert header == [t(key, "en") for key in CSV_COLUMNS.values()]
    rows = {r[1].value: dict(zip(CSV_COLUMNS, r, strict=True)) for r in ws.iter_rows(min_row=2)}
    assert sorted(rows) == ["E", "S", "UP1", "UP2"]
    assert rows["E"]["target_phone"].value == "0312345678"
    assert rows["E"]["target_phone"].data_type == "s"
    assert rows["UP1"]["target_phone"].value == "+81-3-1234-5678"  # no apostrophe shows
    assert rows["UP1"]["message_excerpt"].value.startswith("=HYPERLINK")
    assert rows["UP1"]["message_excerpt"].data_type == "s"
    assert rows["UP2"]["requested_date"].value == datetime(2026, 12, 1)
    assert rows["UP2"]["requested_date"].is_date
    assert rows["S"]["target_phone"].value is None
    amounts = [r["quoted_amount_jpy"] for r in rows.values() if r["quoted_amount_jpy"].value]
    assert all(c.data_type == "n" for c in amounts)
    assert (
        main(
            ["today", "--json", "--as-of", "2026-11-24", "--xlsx", str(out), "--db", str(today_db)]
        )
        == 0
    )
    assert capsys.readouterr().out.lstrip().startswith("{")


@pytest.mark.slow
def test_every_csv_button_has_an_xlsx_beside_it(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today, the Data page's quarantine and the What-if table offer an .xlsx next to each CSV."""
    for page, keys in {
        "views/today.py": ("download_queue", "download_queue_xlsx"),
        "views/data.py": ("download_quarantine", "download_quarantine_xlsx"),
    }.items():
        at = dashboard(sample_db, monkeypatch, as_of="2026-11-20", lang="ja")
        at.switch_page(page).run()
        assert not at.exception
        shown = {b.key for b in at.get("download_button")}
        assert set(keys) <= shown, (page, shown)
