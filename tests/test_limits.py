"""Limits before work: zip bombs, styled cells far away, millions of blank lines, and the read limits
(rows, columns, record length, file size) refused by name.

Large files are generated here at a smaller but telling size; benchmarks/hostile_files.py measures
the full-size ones (no timed tests).
"""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from openpyxl.styles import Font

from pipelines import readers
from pipelines.readers import (
    ReadLimits,
    file_sha256,
    open_source,
)
from tests.conftest import INQUIRY_COLUMNS, csv_text, inquiry
from tests.reading import HEADER, load, refusal, rows, workbook


def _bomb(path: Path, rows: int) -> Path:
    """An .xlsx whose sheet repeats one row: it packs a thousand times smaller than it unpacks."""
    wb = openpyxl.Workbook()
    wb.active.append(["inquiry_id", "received_at"])
    wb.save(path)
    row = b'<row><c t="inlineStr"><is><t>Q1</t></is></c><c t="inlineStr"><is><t>2026-11-24</t></is></c></row>'
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", row * rows + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def test_zip_bomb_is_refused_from_the_central_directory(tmp_path: Path) -> None:
    """Issue: a 3 MB zip bomb took 88 s and 1.2 GB. Its packing ratio refuses it before openpyxl opens it."""
    path = _bomb(tmp_path / "bomb.xlsx", 40_000)  # ~4 MB of XML in ~20 KB
    with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("opened")):
        exc = refusal(path)
    assert exc.code == "LIMIT_XLSX_RATIO"
    assert "max_xlsx_ratio" in str(exc)
    assert "xl/worksheets/sheet1.xml" in str(exc)
    small = ReadLimits(max_xlsx_bytes=1024 * 1024)
    exc = refusal(path, limits=small)
    assert exc.code == "LIMIT_XLSX_BYTES"
    assert "max_xlsx_bytes" in str(exc)


def test_a_styled_cell_in_column_xfd_costs_nothing(tmp_path: Path) -> None:
    """Issue: a 32 KB xlsx with a styled cell in column XFD took 30 s (rows padded to 16,384 cells).

    Rows are read from the sheet's XML: the work is per cell with a value, whatever the dimension.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "customer_name"])
    for i in range(300):
        ws.append([f"Q{i}", "2026-11-24", "山田"])
    ws["XFD1"].font = Font(bold=True)
    ws["XFD1048576"].font = Font(bold=True)
    path = tmp_path / "styled.xlsx"
    wb.save(path)
    assert path.stat().st_size < 32 * 1024
    real = readers._cell_text
    calls = []
    with mock.patch.object(readers.xlsx, "_cell_text", lambda *a: calls.append(1) or real(*a)):
        part, _ = load(path)
    assert (part.rows_loaded, part.rows_blank) == (
        300,
        0,
    )  # styled rows after the data are formatting
    assert len(calls) < 4 * 301 * 3  # a few per cell with a value; padding would be 16,384 per row


@pytest.mark.slow
def test_blank_lines_cost_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue: 200 MB of blank lines took 47 s and 13.9 GB. They are counted and never stored.

    Read in 1 MiB chunks, the peak memory shows what the scan keeps per line (nothing).
    """
    path = tmp_path / "blank.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(csv_text(INQUIRY_COLUMNS, [inquiry("Q1")]))
        fh.write("\n" * 12_000_000 + ",,,,,,,,,,\r\n" * 600_000 + "   \n" * 600_000)
        fh.write(csv_text(INQUIRY_COLUMNS, [inquiry("Q2")]).split("\n", 1)[1])
    monkeypatch.setattr(readers.codes, "CHUNK_BYTES", 1024 * 1024)
    tracemalloc.start()
    try:
        source = open_source(path, file_sha256(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    monkeypatch.undo()
    try:
        assert source.parts[0].reader.scan.rows == 2  # only the two data records are kept
        assert peak < 24 * 1024 * 1024  # 13.2 million lines: one int64 per line would be 100 MB
    finally:
        source.close()
    part, db = load(path)
    assert (part.rows_read, part.rows_loaded, part.rows_blank) == (2, 2, 13_200_000)
    assert rows(db, "SELECT inquiry_id, source_line FROM inquiries ORDER BY 1") == [
        ("Q1", 2),
        ("Q2", 13_200_003),
    ]


@pytest.mark.parametrize(
    ("limits", "text", "code", "name"),
    [
        (ReadLimits(max_rows=3), HEADER + "Q1,2026-11-24,a\n" * 4, "LIMIT_ROWS", "max_rows"),
        (ReadLimits(max_columns=2), HEADER + "Q1,2026-11-24,a\n", "LIMIT_COLUMNS", "max_columns"),
        (
            ReadLimits(max_line_bytes=100),
            HEADER + 'Q1,2026-11-24,"' + "x\n" * 100 + '"\n',
            "LIMIT_LINE_BYTES",
            "max_line_bytes",
        ),
        (ReadLimits(max_file_bytes=10), HEADER, "LIMIT_FILE_BYTES", "max_file_bytes"),
    ],
)
def test_limits_refuse_naming_the_limit(
    tmp_path: Path, limits: ReadLimits, text: str, code: str, name: str
) -> None:
    """Rows, columns, record length and file size are checked before the parse; the refusal names the limit."""
    path = tmp_path / "big.csv"
    path.write_text(text, encoding="utf-8")
    exc = refusal(path, limits=limits)
    assert exc.code == code
    assert name in str(exc)


def test_xlsx_limits_on_rows_and_columns(tmp_path: Path) -> None:
    """The same limits hold for a sheet."""
    table = [["inquiry_id", "received_at", "customer_name"], *[["Q", "2026-11-24", "a"]] * 4]
    path = workbook(tmp_path / "book.xlsx", {"s": table})
    assert refusal(path, limits=ReadLimits(max_rows=3)).code == "LIMIT_ROWS"
    assert refusal(path, limits=ReadLimits(max_columns=2)).code == "LIMIT_COLUMNS"
