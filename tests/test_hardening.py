"""Real files and hostile input (issue 13, reading side): nothing lost, bounded cost, no leaks.

Each test names the case of the issue it covers. Large files are generated here at a smaller but
telling size; benchmarks/hostile_files.py measures the full-size ones (no timed tests).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from unittest import mock

import duckdb
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from pipelines import readers
from pipelines.__main__ import main
from pipelines.definitions import sql_text
from pipelines.loader import PartResult, load_files
from pipelines.readers import (
    REASONS,
    REFUSALS,
    FileRefused,
    ReadLimits,
    Staged,
    file_sha256,
    open_source,
)
from tests.conftest import EVENT_COLUMNS, INQUIRY_COLUMNS, csv_text, event, file_digest, inquiry

FILES = Path(__file__).resolve().parent / "fixtures" / "files"
HEADER = "inquiry_id,received_at,customer_name\n"


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def load(path: Path, db: Path | None = None, **kwargs: object) -> tuple[PartResult, Path]:
    db = db or path.with_suffix(".duckdb")
    result = load_files([path], db, **kwargs)
    return result.parts[0], db


def quarantined(db: Path) -> list[tuple]:
    return rows(db, "SELECT line, column_name, reason FROM quarantine ORDER BY line")


def refusal(path: Path, **kwargs: object) -> FileRefused:
    with pytest.raises(FileRefused) as info:
        load_files([path], path.with_suffix(".duckdb"), **kwargs)
    assert str(info.value).startswith(path.name + ": ")
    return info.value


def workbook(
    path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, table in sheets.items():
        ws = wb.create_sheet(title)
        for row in table:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


INQUIRY_SHEET = [
    ["inquiry_id", "received_at", "customer_name"],
    ["Q1", datetime(2026, 11, 24, 9), "山田"],
]


# --------------------------------------------------------------- 1. every sheet accounted for


def test_unrecognised_sheet_with_data_refuses_the_workbook_naming_it(tmp_path: Path) -> None:
    """Issue: an unrecognised sheet's 51 rows were dropped without a word. Now the workbook is refused."""
    memo = [["メモ"], *[[f"note {i}"] for i in range(51)]]
    path = workbook(tmp_path / "book.xlsx", {"受付": INQUIRY_SHEET, "Memo": memo})
    exc = refusal(path)
    assert exc.code == "SHEET_UNRECOGNISED"
    assert exc.params["sheet"] == "Memo"
    assert "'Memo'" in str(exc)
    assert "--skip-sheet Memo" in str(exc)


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
    assert main(["load", str(path), "--skip-sheet", "Memo", "--db", str(db2)]) == 0
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


# ------------------------------------------------------------------------ 2. limits before work


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


# --------------------------------------------------------------------------- 3. one CSV semantics


def _outcome(db: Path, part: PartResult) -> tuple:
    return (
        (part.rows_read, part.rows_loaded, part.rows_quarantined, part.rows_blank),
        rows(db, "SELECT line, raw, column_name, reason FROM quarantine ORDER BY line"),
        rows(db, "SELECT * EXCLUDE (load_id) FROM inquiries ORDER BY source_line"),
    )


@contextlib.contextmanager
def exact_path() -> Iterator[None]:
    """Every CSV read by the exact path (Python), the definition of the semantics."""
    real = readers._CsvReader.stage
    with mock.patch.object(
        readers._CsvReader, "stage", lambda self, con, exact: real(self, con, True)
    ):
        yield


@contextlib.contextmanager
def fast_path_only() -> Iterator[None]:
    """Fail if the fast path (scan + DuckDB) hands a CSV to the exact path: it must read everything."""
    with mock.patch.object(
        readers.csv_reader, "_read_exact", side_effect=AssertionError("fell back")
    ):
        yield


def load_both(tmp: Path, text: str, encoding: str = "utf-8") -> tuple[tuple, tuple]:
    path = tmp / "f.csv"
    path.write_bytes(text.encode(encoding))
    with fast_path_only():
        fast = load(path, tmp / "fast.duckdb")
    with exact_path():
        slow = load(path, tmp / "slow.duckdb")
    return _outcome(fast[1], fast[0]), _outcome(slow[1], slow[0])


VALUES = st.sampled_from(
    ["Q1", "Q2", "2026-11-24", "2026-11-24 24:00", "山田", "", " ", "\u3000", "\u200b", "a,b",
     'x"y', '"', "\r", "\n", "\r\n", "x\ry", "10", ";", "\t"]
)  # fmt: skip


@st.composite
def rendered_value(draw: st.DrawFn) -> str:
    value = draw(VALUES | st.text(alphabet='ab ,;\t"\r\n\u3000', max_size=5))
    if draw(st.booleans()):  # properly quoted, else written as is (possibly malformed)
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def records(draw: st.DrawFn, sep: str = ",") -> str:
    """Records of 0-5 values (the header has 3) with LF or CRLF endings, the last maybe unended."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        values = [draw(rendered_value()) for _ in range(draw(st.integers(0, 5)))]
        lines.append(sep.join(values) + draw(st.sampled_from(["\n", "\r\n", "\n", "\r\n", ""])))
    return "".join(lines)


@st.composite
def files(draw: st.DrawFn) -> str:
    """A header and random records, separated by a comma, a tab or a semicolon."""
    sep = draw(st.sampled_from([",", ",", "\t", ";"]))
    return HEADER.replace(",", sep) + draw(records(sep))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=files())
def test_fast_and_exact_paths_give_every_row_the_same_outcome(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Issue: one stray quote sent a file down the exact path, where rows got other outcomes.

    For random rows with quotes, CR, LF, extra and missing values, the fast path (byte scan and
    DuckDB, never falling back) and the exact path (Python) agree on every row: its line, loaded
    values or quarantine reason, and the counts.
    """
    fast, slow = load_both(tmp_path_factory.mktemp("diff"), text)
    assert fast == slow


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(others=records(), target=records())
def test_a_rows_outcome_does_not_depend_on_unrelated_rows(
    tmp_path_factory: pytest.TempPathFactory, others: str, target: str
) -> None:
    """A record gets the same outcome alone or after other records (whose quotes are balanced)."""
    if others.count('"') % 2 or not others.endswith("\n"):
        others += '"\n' if others.count('"') % 2 else "\n"
    tmp = tmp_path_factory.mktemp("alone")
    alone = tmp / "alone.csv"
    alone.write_text(HEADER + target, encoding="utf-8", newline="")
    after = tmp / "after.csv"
    after.write_text(HEADER + others + target, encoding="utf-8", newline="")
    shift = (HEADER + others).count("\n")
    _a_part, a_db = load(alone, tmp / "a.duckdb")
    _b_part, b_db = load(after, tmp / "b.duckdb")
    first_line = shift + 1
    a_q = [(line, raw, reason) for line, raw, _, reason in quarantined_rows(a_db)]
    b_q = [
        (line - shift + 1, raw, reason)
        for line, raw, _, reason in quarantined_rows(b_db)
        if line >= first_line
    ]
    assert a_q == b_q
    a_rows = rows(a_db, "SELECT source_line, inquiry_id, received_at, customer_name FROM inquiries")
    b_rows = rows(b_db, f"SELECT source_line - {shift - 1}, inquiry_id, received_at, customer_name "
                        f"FROM inquiries WHERE source_line >= {first_line}")  # fmt: skip
    assert sorted(a_rows, key=str) == sorted(b_rows, key=str)


def quarantined_rows(db: Path) -> list[tuple]:
    return rows(db, "SELECT line, raw, column_name, reason FROM quarantine ORDER BY line")


def test_the_decided_semantics_on_both_paths(tmp_path: Path) -> None:
    """`"quoted" then text` is malformed quoting and extra empty values a wrong column count — on both
    paths; a quote inside an unquoted value is malformed too, and an unbalanced quote runs to the end."""
    text = HEADER + (
        'Q1,2026-11-24,"quoted" then text\n'
        "Q2,2026-11-24,x,,\n"
        'Q3,2026-11-24,"ok, ""fine"""\n'
        "Q4,2026-11-24,x\ry\n"
        'Q5,2026-11-24,a"b\n'
        "Q6,2026-11-24,never seen\n"
    )
    fast, slow = load_both(tmp_path, text)
    assert fast == slow
    (_, quarantine, loaded) = fast
    assert [(line, reason.split(":")[0]) for line, _, _, reason in quarantine] == [
        (2, "malformed quoting"),
        (3, "wrong column count"),
        (5, "malformed line break"),
        (6, "malformed quoting"),
    ]
    assert quarantine[-1][1] == 'Q5,2026-11-24,a"b\nQ6,2026-11-24,never seen\n'  # nothing lost
    assert [(r[0], r[2]) for r in loaded] == [("Q3", 'ok, "fine"')]


# ----------------------------------------------------------------------------------- 4. encodings


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [
        ("inquiries_euc_jp.csv", "euc_jp", ","),
        ("inquiries_iso2022jp.csv", "iso2022_jp", ","),
        ("inquiries_unicode_text.txt", "utf-16", "\t"),
    ],
)
def test_japanese_encodings_decode_right(
    tmp_path: Path, name: str, encoding: str, separator: str
) -> None:
    """Issue: EUC-JP and ISO-2022-JP loaded as mojibake (山田 → ｻｳﾅﾄ); UTF-16 was 'a binary file'."""
    path = tmp_path / name
    path.write_bytes((FILES / name).read_bytes())
    part, db = load(path)
    assert (part.encoding, part.separator, part.rows_loaded) == (encoding, separator, 2)
    assert rows(
        db,
        "SELECT inquiry_id, received_at, customer_name, customer_address FROM inquiries ORDER BY 1",
    ) == [
        ("T0001", datetime(2026, 11, 24, 13, 5), "山田太郎", "東京都新宿区西新宿2-8-1"),
        ("T0002", datetime(2026, 11, 25, 9, 30), "佐藤花子", "大阪府大阪市北区梅田1-1"),
    ]


def test_cp932_is_not_taken_for_euc_jp_or_the_other_way(tmp_path: Path) -> None:
    """Both decodings can 'succeed' on the same bytes; the one that reads as Japanese text wins."""
    text = HEADER + "Q1,2026-11-24,山田太郎\nQ2,2026-11-24,渡辺さくら\nQ3,2026-11-24,ﾔﾏﾀﾞﾀﾛｳ\n"
    for encoding in ("cp932", "euc_jp"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        part, db = load(path)
        assert part.encoding == encoding
        names = [r[0] for r in rows(db, "SELECT customer_name FROM inquiries ORDER BY inquiry_id")]
        assert names == ["山田太郎", "渡辺さくら", "ﾔﾏﾀﾞﾀﾛｳ"]


def test_euc_jp_that_cannot_be_decoded_is_refused_not_mojibake(tmp_path: Path) -> None:
    """EUC-JP with a vendor character (eucJP-ms ① = AD A1) fails strict EUC-JP; CP932 would 'decode'
    it into half-width katakana. It is refused instead."""
    path = tmp_path / "euc_ms.csv"
    path.write_bytes((HEADER + "Q1,2026-11-24,山田太郎 ").encode("euc_jp") + b"\xad\xa1\n")
    assert refusal(path).code == "EUC_JP_UNDECODABLE"


def test_separators_are_found_from_the_header(tmp_path: Path) -> None:
    """Tab and semicolon separators are taken from the header line (the one that makes it recognisable)."""
    path = tmp_path / "events_semicolon.csv"
    path.write_bytes((FILES / "events_semicolon.csv").read_bytes())
    part, db = load(path)
    assert (part.kind, part.separator, part.rows_loaded) == ("events", ";", 1)
    assert rows(db, "SELECT event, amount_jpy, staff FROM events") == [
        ("quote_sent", 12000, "佐藤")
    ]
    tab = tmp_path / "tab.csv"
    tab.write_text(HEADER.replace(",", "\t") + "Q1\t2026-11-24\ta,b\n", encoding="utf-8")
    part, db = load(tab)
    assert part.separator == "\t"
    assert rows(db, "SELECT customer_name FROM inquiries") == [("a,b",)]


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "utf-16"])
def test_a_nul_byte_anywhere_is_refused(tmp_path: Path, encoding: str) -> None:
    """Issue: a NUL byte after the first 64 KB of a CP932 file was loaded."""
    text = HEADER + "Q1,2026-11-24,山田太郎\n" * 8000 + "Q2,2026-11-24,x\x00y\n"
    path = tmp_path / "nul.csv"
    path.write_bytes(text.encode(encoding))
    assert path.stat().st_size > 65536
    exc = refusal(path)
    assert exc.code == "NUL_BYTES"
    assert exc.params["line"] == 8002


def test_utf16_without_bom_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes((HEADER + "Q1,2026-11-24,x\n").encode("utf-16-le"))
    assert refusal(path).code == "UTF16_WITHOUT_BOM"


def test_files_are_recognised_by_content_not_name(tmp_path: Path) -> None:
    """Issue: a real .xlsx named .csv got 'openpyxl does not support .csv'. It loads as a workbook;
    a CSV named .xlsx is refused with a clear message, and an old .xls by its signature."""
    book = workbook(tmp_path / "book.xlsx", {"受付": INQUIRY_SHEET})
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(book.read_bytes())
    part, _ = load(renamed)
    assert (part.encoding, part.sheet, part.rows_loaded) == ("xlsx", "受付", 1)
    text = tmp_path / "export.xlsx"
    text.write_text(HEADER + "Q1,2026-11-24,x\n", encoding="utf-8")
    exc = refusal(text)
    assert exc.code == "TEXT_NAMED_XLSX"
    assert "rename it to .csv" in str(exc)
    xls = tmp_path / "old.csv"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert refusal(xls).code == "OLD_XLS"


# -------------------------------------------------------------------------------------- 5. values


def test_blank_lines_are_skipped_and_counted_alike_in_csv_and_xlsx(tmp_path: Path) -> None:
    """Issue: comma-only and white-space-only lines were quarantined (the xlsx skipped empty rows)."""
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(
        HEADER + 'Q1,2026-11-24,a\n,,\n   \n\n\u3000,\u200b,\n""," ",\nQ2,2026-11-24,b\n',
        encoding="utf-8",
    )
    xlsx_path = workbook(
        tmp_path / "t.xlsx",
        {"s": [["inquiry_id", "received_at", "customer_name"], ["Q1", "2026-11-24", "a"],
               [None, None, None], ["   ", None, None], [], ["\u3000", "\u200b", None], ["", " "],
               ["Q2", "2026-11-24", "b"]]},
    )  # fmt: skip
    for path in (csv_path, xlsx_path):
        part, db = load(path)
        assert (part.rows_read, part.rows_loaded, part.rows_quarantined, part.rows_blank) == (
            2,
            2,
            0,
            5,
        )
        assert rows(db, "SELECT inquiry_id, source_line FROM inquiries ORDER BY 1") == [
            ("Q1", 2),
            ("Q2", 8),
        ]


def test_zero_width_characters_are_stripped(tmp_path: Path) -> None:
    """Issue: `T0002​` was a separate ID, and a name of only U+200B counted as present."""
    path = tmp_path / "t.csv"
    path.write_text(
        "inquiry_id\u200b,received_at,customer_name,customer_address,target_phone\n"
        "T0002\u200b,2026-11-24,\u200b,\u3000東京都\u200d\u3000,03-1234\u200b-5678\n"
        "\ufeffT0003,2026-11-24,\t山田\u2060太郎 ,,\n",
        encoding="utf-8",
    )
    load(path)
    db = path.with_suffix(".duckdb")
    assert rows(
        db,
        "SELECT inquiry_id, customer_name, customer_address, target_phone FROM inquiries ORDER BY 1",
    ) == [
        ("T0002", None, "東京都", "03-1234-5678"),
        ("T0003", "山田太郎", None, None),
    ]
    events = tmp_path / "e.csv"
    events.write_text(
        csv_text(EVENT_COLUMNS, [event("T0002\u200b", "2026-11-24 10:00", "見積送信\u200b")]),
        encoding="utf-8",
    )
    part, _ = load(events, db)
    assert (part.rows_loaded, part.orphan_events) == (1, 0)


def test_sql_and_python_agree_on_what_is_blank() -> None:
    """parse.sql's blank_text() and jp_fold(), the Arrow text_clean() and readers.is_blank() use the
    same white-space and zero-width characters (the two paths decide blank lines with them)."""
    con = duckdb.connect()
    from pipelines.definitions import prepare

    prepare(con, sql_files=("parse.sql",))
    readers.register_functions(con)
    for ch in [*readers.BLANK_CHARS, "a", "山", "\x1c", "\u00ad", "-", "\u3001"]:
        for value in (ch, ch * 3, f" {ch}\u3000"):
            blank = readers.is_blank(value)
            sql = con.execute(
                "SELECT blank_text(?), jp_fold(?) IS NULL, text_clean(?) = ''", [value] * 3
            ).fetchall()
            assert sql == [(blank, blank, blank)], (hex(ord(ch)), value)


BAD_VALUES = [
    (
        {"received_at": "2026-11-24T10:00+99:99"},
        "received_at",
        "OFFSET_IMPOSSIBLE",
        "impossible UTC offset",
    ),
    ({"received_at": "2026-11-24 24:00"}, "received_at", "TIME_IMPOSSIBLE", "no such time of day"),
    (
        {"received_at": "2026-11-24 23:59:60"},
        "received_at",
        "TIME_IMPOSSIBLE",
        "no such time of day",
    ),
    ({"received_at": "2026-02-30"}, "received_at", "DATE_NO_SUCH_DAY", "no such day"),
    ({"requested_for": "令和8年11月24日 25時"}, "requested_for", "TIME_IMPOSSIBLE", "no such time"),
]


@pytest.mark.parametrize(("override", "column", "code", "words"), BAD_VALUES)
def test_impossible_dates_and_times_are_quarantined(
    tmp_path: Path, override: dict, column: str, code: str, words: str
) -> None:
    """Issue: +99:99 offsets, 24:00 and second 60 were accepted."""
    path = tmp_path / "t.csv"
    path.write_text(csv_text(INQUIRY_COLUMNS, [inquiry("Q1", **override)]), encoding="utf-8")
    part, db = load(path)
    assert part.rows_quarantined == 1
    [(line, col, reason)] = quarantined(db)
    assert (line, col) == (2, column)
    assert words in reason
    assert code in REASONS
    assert REASONS[code].split('"')[0] in reason


@pytest.mark.parametrize("amount", ["1,2,3,4", "12000円円", "12,00", "¥¥100"])
def test_malformed_amounts_are_quarantined(tmp_path: Path, amount: str) -> None:
    """Issue: amounts `1,2,3,4` and `12000円円` were accepted."""
    path = tmp_path / "e.csv"
    good = [
        event("Q1", "2026-11-24 10:00", "quote_sent", amount_jpy=a)
        for a in ("1,200", "¥12,000", "５，０００円")
    ]
    bad = event("Q1", "2026-11-24 11:00", "quote_sent", amount_jpy=amount)
    path.write_text(csv_text(EVENT_COLUMNS, [*good, bad]), encoding="utf-8")
    _part, db = load(path)
    assert rows(db, "SELECT amount_jpy FROM events ORDER BY source_line") == [
        (1200,),
        (12000,),
        (5000,),
    ]
    [(line, col, reason)] = quarantined(db)
    assert (line, col) == (5, "amount_jpy")
    assert "not a whole number of yen" in reason


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


# ---------------------------------------------------------------------------- 6. event identity


def test_an_events_identity_includes_its_note(tmp_path: Path) -> None:
    """Issue: two staff_work rows that differed only in their note were merged (10 minutes lost)."""
    path = tmp_path / "e.csv"
    same = {"staff": "佐藤"}
    path.write_text(
        csv_text(
            EVENT_COLUMNS,
            [
                event(
                    "Q1", "2026-11-24 10:00", "staff_work", minutes=10, note="人員の手配", **same
                ),
                event(
                    "Q1", "2026-11-24 10:00", "staff_work", minutes=10, note="台本の準備", **same
                ),
                event(
                    "Q1", "2026-11-24 10:00", "staff_work", minutes=10, note="台本の準備", **same
                ),
            ],
        ),
        encoding="utf-8",
    )
    part, db = load(path)
    assert (part.rows_loaded, part.rows_duplicate) == (2, 1)
    assert rows(db, "SELECT sum(staff_minutes) FROM events") == [(20,)]


def test_an_event_without_note_keeps_the_key_earlier_versions_stored() -> None:
    """Adding the note to the identity changes no stored key of an event without a note."""
    con = duckdb.connect()
    from pipelines.definitions import prepare

    prepare(con, sql_files=("parse.sql",))
    old = "CAST(md5_number(concat_ws('|', 'Q1', '2026-11-24 10:00:00', 'staff_work', '', 'x', '10')) >> 1 AS HUGEINT)"
    new = "event_key('Q1', TIMESTAMP '2026-11-24 10:00', 'staff_work', NULL, 'x', 10, {note})"
    assert con.execute(f"SELECT {old} = {new.format(note='NULL')}").fetchone() == (True,)
    assert con.execute(f"SELECT {old} <> {new.format(note=repr('memo'))}").fetchone() == (True,)


# ------------------------------------------------------------------------ 7. no decoded copy left


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tempfile's folder for this test only, so that anything left behind is seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_no_decoded_copy_is_left_after_any_outcome(tmp_path: Path, private_tmp: Path) -> None:
    """Issue: a refused CP932 file left its whole decoded copy — customer data — in the temp folder."""
    good = tmp_path / "good.csv"
    good.write_bytes((HEADER + "Q1,2026-11-24,山田太郎\n" + "Q2,2026-11-24,x,y\n").encode("cp932"))
    refused = tmp_path / "refused.csv"
    refused.write_bytes((HEADER + "Q1,2026-11-24,山田太郎\n" * 5000).encode("cp932") + b"\x00\n")
    undecodable = tmp_path / "bad.csv"
    undecodable.write_bytes(
        (HEADER + "Q1,2026-11-24,山田太郎\n" * 5000).encode("cp932") + b"\x81\n"
    )
    db = tmp_path / "t.duckdb"
    load_files([good], db)  # loaded (through a compacted copy of the sound rows, too)
    for path in (refused, undecodable):
        with pytest.raises(FileRefused):
            load_files([good, path], db)
    with (
        mock.patch("pipelines.loader._apply_part", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        load_files([_copy(good, tmp_path / "again.csv")], db)  # interrupted while applying
    with (
        mock.patch.object(readers._RecordScan, "feed", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        load_files([_copy(good, tmp_path / "third.csv")], db)  # interrupted while decoding
    assert list(private_tmp.iterdir()) == []


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes() + b"Q3,2026-11-24,z\n")
    return dst


def test_a_scratch_folder_of_a_killed_process_is_removed(private_tmp: Path) -> None:
    """A process killed outright (no finally) leaves its folder; the next reader removes it."""
    dead = private_tmp / f"{readers._Scratch.PREFIX}999999999-abc"
    dead.mkdir()
    (dead / "1.utf8.csv").write_text("customer data", encoding="utf-8")
    scratch = readers._Scratch()
    scratch.file(".csv")
    try:
        assert not dead.exists()
        assert os.stat(scratch.path).st_mode & 0o777 == 0o700
    finally:
        scratch.close()
    assert list(private_tmp.iterdir()) == []


# --------------------------------------------------------------------------- 8. translatable codes


def test_refusals_carry_a_code_and_params_that_rebuild_the_message(tmp_path: Path) -> None:
    """FileRefused keeps its English message and adds code + params for other languages."""
    cases = {
        "e.csv": b"",
        "h.csv": b"name,age\nfoo,3\n",
        "n.csv": HEADER.encode() + b"Q1,\x00\n",
        "x.xls": b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        exc = refusal(path)
        assert exc.code in REFUSALS
        assert exc.problem == REFUSALS[exc.code].format(**exc.params)
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileRefused) as info:
        load_files([missing], tmp_path / "t.duckdb")
    assert (info.value.code, str(info.value)) == ("FILE_NOT_FOUND", "nope.csv: file not found")


def test_every_reason_the_sql_writes_has_a_code_and_template() -> None:
    """The quarantine reasons written by load.sql and parse.sql are all listed in REASONS."""
    sql = sql_text("load.sql") + sql_text("parse.sql")
    codes = set(re.findall(r"'code': '([A-Z_]+)'", sql)) | set(re.findall(r"THEN '([A-Z_]+)'", sql))
    assert codes, "no codes found"
    assert codes <= set(REASONS)
    assert {"WRONG_COLUMN_COUNT", "MALFORMED_QUOTING", "FORMULA_WITHOUT_VALUE"} <= set(REASONS)
    for template in (*REASONS.values(), *REFUSALS.values()):
        assert isinstance(template, str)
        assert template


def test_quarantine_stores_reason_codes_once_the_table_has_the_column(tmp_path: Path) -> None:
    """The loader writes reason_code (codes in the order of column_name) when quarantine has it."""
    seed = tmp_path / "seed.csv"
    seed.write_text(HEADER + "Q0,2026-11-24,x\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    load_files([seed], db)
    con = duckdb.connect(str(db))
    columns = [r[0] for r in con.execute("DESCRIBE quarantine").fetchall()]
    if "reason_code" not in columns:
        con.execute("ALTER TABLE quarantine ADD COLUMN reason_code VARCHAR")
    con.close()
    path = tmp_path / "t.csv"
    path.write_text(
        "inquiry_id,received_at,staff_minutes,customer_name\n"
        'Q1,2026-11-24 24:00,-5,x\nQ2,2026-11-24,1,"a" b\n,,,\n',
        encoding="utf-8",
    )
    load_files([path], db)
    assert rows(db, "SELECT line, column_name, reason_code FROM quarantine ORDER BY line") == [
        (2, "received_at, staff_minutes", "TIME_IMPOSSIBLE, MINUTES_NEGATIVE"),
        (3, None, "MALFORMED_QUOTING"),
    ]


def test_rejects_carry_codes(tmp_path: Path) -> None:
    """Structural rejects keep their code next to the English reason (readers.Reject)."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + 'Q1,2026-11-24,"x" y\nQ2,2026-11-24\n', encoding="utf-8")
    source = open_source(path, file_sha256(path))
    con = duckdb.connect()
    try:
        staged = source.parts[0].stage(con)
        assert [(r.line, r.code) for r in staged.rejects] == [
            (2, "MALFORMED_QUOTING"),
            (3, "WRONG_COLUMN_COUNT"),
        ]
        assert staged.rejects[1].reason == REASONS["WRONG_COLUMN_COUNT"].format(found=2, width=3)
        staged.close()
    finally:
        source.close()
        con.close()


# ---------------------------------------------------------------------- 9. the staging interface


@pytest.mark.parametrize("exact", [False, True])
def test_a_part_stages_through_a_documented_interface(tmp_path: Path, exact: bool) -> None:
    """Part.stage() returns a Staged: a relation of c0…cN in file order, its lines, rejects, blank
    lines, and close() drops what it created — no temp-table names shared by convention."""
    path = tmp_path / "t.csv"
    path.write_text(
        HEADER + 'Q1,2026-11-24,a\n\n,,\nQ2,2026-11-24,x,y\nQ3,2026-11-25,"b\nc"\n',
        encoding="utf-8",
    )
    source = open_source(path, file_sha256(path))
    con = duckdb.connect()
    try:
        before = set(_catalog(con))
        staged = source.parts[0].stage(con, exact=exact)
        assert isinstance(staged, Staged)
        assert set(_catalog(con)) - before == {staged.relation}
        data = con.execute(f"SELECT * FROM {staged.relation}").fetchall()
        assert data == [("Q1", "2026-11-24", "a"), ("Q3", "2026-11-25", "b\nc")]
        assert list(staged.lines(len(data))) == [2, 6]
        assert staged.lines(len(data) + 1) is None
        assert [(r.line, r.code) for r in staged.rejects] == [(5, "WRONG_COLUMN_COUNT")]
        assert staged.blank_rows == 2
        staged.close()
        assert set(_catalog(con)) == before
    finally:
        source.close()
        con.close()


def _catalog(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    ]


def test_the_loader_uses_only_the_staging_interface() -> None:
    """The loader names no table a reader creates; the reader names none the loader creates."""
    package = Path(readers.__file__).parent
    loader_text = package.with_name("loader.py").read_text(encoding="utf-8")
    for reader_owned in ("stg_source", "stg_table", "reject_errors", "staged_", ".staging", "._"):
        assert reader_owned not in loader_text
    reader_text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    for loader_owned in ("stg_rejects", "line_map", "lined", "typed", "stg"):
        assert re.search(rf"\b{loader_owned}\b", reader_text) is None, loader_owned


def test_reading_a_csv_in_excel_dialect_matches_python_csv(tmp_path: Path) -> None:
    """Well-formed files (as csv.writer writes them) read the same on both paths and as Python reads them."""
    table = [
        ["Q1", "2026-11-24", 'say "hi", then\r\nleave'],
        ["Q2", "2026-11-25", ""],
        ["Q3", "2026-11-26", " "],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([HEADER.strip().split(","), *table])
    fast, slow = load_both(tmp_path, out.getvalue())
    assert fast == slow
    assert [(r[0], r[2]) for r in fast[2]] == [
        ("Q1", 'say "hi", then\r\nleave'),
        ("Q2", None),
        ("Q3", None),
    ]


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
