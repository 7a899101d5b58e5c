"""The loader: encodings, header languages, date styles, quarantine, refusals, idempotence."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import pipelines
from pipelines import readers
from pipelines.__main__ import main
from pipelines.loader import load_files
from pipelines.readers import FileRefused
from tests.conftest import (
    EVENT_COLUMNS,
    INQUIRY_COLUMNS,
    build_db,
    csv_text,
    event,
    file_digest,
    inquiry,
    write,
)
from tests.reading import worded_rows

JA_INQUIRY = "問い合わせID,受付日時,お名前,ご住所,架電先,希望日,お問い合わせ内容,対応時間(分)\n"
JA_ROWS = (
    'Q1,2026/11/24 13:05,山田太郎,東京都新宿区,03-1234-5678,2026年11月30日(月),"退職の連絡\nお願いします",15\n'
    "Q2,令和8年11月24日 9時30分,佐藤花子,大阪府,06-0000-0000,R8.11.28,明日お願いします,5\n"
)


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_each_encoding_loads_the_same_rows(tmp_path: Path, encoding: str) -> None:
    """It reads UTF-8, UTF-8 with BOM and CP932 to the same values, with the right line numbers."""
    path = write(tmp_path / "inq.csv", JA_INQUIRY + JA_ROWS, encoding)
    db = tmp_path / "t.duckdb"
    result = load_files([path], db)
    assert result.parts[0].encoding == encoding
    assert rows(
        db,
        "SELECT inquiry_id, received_at, customer_name, requested_for, message, staff_minutes, source_line FROM inquiries ORDER BY 1",
    ) == [
        (
            "Q1",
            datetime(2026, 11, 24, 13, 5),
            "山田太郎",
            datetime(2026, 11, 30),
            "退職の連絡\nお願いします",
            15,
            2,
        ),
        (
            "Q2",
            datetime(2026, 11, 24, 9, 30),
            "佐藤花子",
            datetime(2026, 11, 28),
            "明日お願いします",
            5,
            4,
        ),
    ]


@pytest.mark.slow
def test_english_and_japanese_headers_are_equivalent(tmp_path: Path) -> None:
    """It maps Japanese header aliases to the canonical columns and recognises the file kind."""
    en = write(
        tmp_path / "en.csv",
        csv_text(INQUIRY_COLUMNS, [inquiry("Q1", "2026-11-24 13:05", requested_for="2026-11-30")]),
    )
    ja = write(
        tmp_path / "ja.csv",
        "受付番号,タイムスタンプ,名前,住所,代行先電話番号,実行希望日,本文,作業時間(分)\n"
        "Q1,2026-11-24 13:05,山田太郎,東京都新宿区1-1,03-1234-5678,2026-11-30,見積もりをお願いします,10\n",
    )
    ev = write(
        tmp_path / "ev.csv",
        '問合せ番号,対応日時,イベント,金額,担当,対応時間(分),備考\nQ1,2026-11-24 15:00,見積送信,"5,000",佐藤,10,\n',
    )
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    load_files([en], a)
    result = load_files([ja, ev], b)
    assert [p.kind for p in result.parts] == ["inquiries", "events"]
    cols = "inquiry_id, received_at, customer_name, customer_address, target_phone, requested_for, message, staff_minutes"
    assert rows(a, f"SELECT {cols} FROM inquiries") == rows(b, f"SELECT {cols} FROM inquiries")
    assert rows(b, "SELECT event, amount_jpy, staff FROM events") == [("quote_sent", 5000, "佐藤")]


DATE_STYLES = [
    ("2026-11-24", datetime(2026, 11, 24)),
    ("2026-11-24T13:05", datetime(2026, 11, 24, 13, 5)),
    ("2026-11-24T13:05:22", datetime(2026, 11, 24, 13, 5, 22)),
    ("2026-11-24 13:05:22", datetime(2026, 11, 24, 13, 5, 22)),
    ("2026-11-24T13:05:00+09:00", datetime(2026, 11, 24, 13, 5)),
    ("2026-11-24T04:05:00Z", datetime(2026, 11, 24, 13, 5)),
    (
        "2026-11-23T20:30:00+00:00",
        datetime(2026, 11, 24, 5, 30),
    ),  # UTC evening is the next day in Japan
    ("2026-11-24T13:05-0500", datetime(2026, 11, 25, 3, 5)),
    ("2026/11/24 13:05", datetime(2026, 11, 24, 13, 5)),
    ("2026/11/24 13:05:22", datetime(2026, 11, 24, 13, 5, 22)),
    ("2026/1/5", datetime(2026, 1, 5)),
    ("2026/1/5 9:05", datetime(2026, 1, 5, 9, 5)),
    ("2026年11月24日 13時05分", datetime(2026, 11, 24, 13, 5)),
    ("2026年11月24日(火)", datetime(2026, 11, 24)),
    ("2026年11月24日（火） 9時", datetime(2026, 11, 24, 9, 0)),
    ("令和8年11月24日", datetime(2026, 11, 24)),
    ("令和元年5月1日", datetime(2019, 5, 1)),
    ("平成31年4月30日", datetime(2019, 4, 30)),
    ("R8.11.24", datetime(2026, 11, 24)),
    ("R8/11/24", datetime(2026, 11, 24)),
    ("H31.4.1", datetime(2019, 4, 1)),
    ("２０２６／１１／２４", datetime(2026, 11, 24)),
    ("２０２６年１１月２４日　１３時０５分", datetime(2026, 11, 24, 13, 5)),
    (" 2026-11-24 ", datetime(2026, 11, 24)),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), DATE_STYLES)
def test_date_styles(tmp_path: Path, text: str, expected: datetime) -> None:
    """It reads every date style of the SPEC as Japan time."""
    path = write(tmp_path / "inq.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q1", text)]))
    load_files([path], tmp_path / "t.duckdb")
    assert rows(tmp_path / "t.duckdb", "SELECT received_at FROM inquiries") == [(expected,)]


@pytest.mark.slow
def test_a_utc_time_crossing_midnight_counts_on_the_japan_date(tmp_path: Path) -> None:
    """15:00Z on 11-24 is midnight of 11-25 in Japan: after A, so not yet received; 14:59Z is 23:59 on A."""
    db = build_db(
        tmp_path, [inquiry("A", "2026-11-24T14:59:00Z"), inquiry("B", "2026-11-24T15:00:00Z")]
    )
    con = pipelines.connect(db)
    try:
        facts = pipelines.inquiry_facts(con, "2026-11-24")
    finally:
        con.close()
    assert list(facts["inquiry_id"]) == ["A"]
    assert str(facts.loc[0, "received_at"]) == "2026-11-24 23:59:00"


BAD_ROWS = [
    ({"received_at": "2026-02-30"}, "received_at", "cannot read date/time"),
    ({"received_at": "昨日"}, "received_at", "cannot read date/time"),
    ({"received_at": "9999-01-01"}, "received_at", "out of range"),
    ({"received_at": ""}, "received_at", "required value is blank"),
    ({"inquiry_id": "  "}, "inquiry_id", "required value is blank"),
    ({"staff_minutes": "-5"}, "staff_minutes", "negative minutes"),
    ({"staff_minutes": "ten"}, "staff_minutes", "not a whole number"),
    ({"staff_minutes": "99999999999999999999"}, "staff_minutes", "not a whole number"),
    ({"requested_for": "来週"}, "requested_for", "cannot read date"),
]


@pytest.mark.parametrize(("override", "column", "reason"), BAD_ROWS)
def test_bad_values_are_quarantined_with_reason(
    tmp_path: Path, override: dict, column: str, reason: str
) -> None:
    """A row with a bad value goes to quarantine with file, line, raw text, column and reason."""
    good = inquiry("Q1")
    bad = {**inquiry("Q2"), **override}
    text = csv_text(INQUIRY_COLUMNS, [good, bad])
    path = write(tmp_path / "inq.csv", text)
    db = tmp_path / "t.duckdb"
    result = load_files([path], db)
    assert (result.parts[0].rows_loaded, result.parts[0].rows_quarantined) == (1, 1)
    [(file_name, line, raw, col, why)] = worded_rows(
        db, "SELECT file_name, line, raw, column_name, reason FROM quarantine"
    )
    assert (file_name, line, col) == ("inq.csv", 3, column)
    assert reason in why
    assert raw == text.splitlines()[2]  # the line as written, a blank ID's spaces included


def test_event_rows_quarantined(tmp_path: Path) -> None:
    """Unknown event kinds, negative amounts and unreadable dates in the quote log are quarantined."""
    path = write(
        tmp_path / "ev.csv",
        csv_text(
            EVENT_COLUMNS,
            [
                event("Q1", "2026-11-24 10:00", "quote_sent", amount_jpy="５，０００"),
                event("Q1", "2026-11-24 11:00", "見積もり？"),
                event("Q1", "2026-11-24 12:00", "quote_sent", amount_jpy="-100"),
                event("Q1", "someday", "customer_reply"),
                event("Q1", "2026-11-24 13:00", "staff_work", minutes=-1),
            ],
        ),
    )
    db = tmp_path / "t.duckdb"
    load_files([path], db)
    assert rows(db, "SELECT amount_jpy FROM events") == [(5000,)]
    reasons = rows(db, "SELECT line, column_name FROM quarantine ORDER BY line")
    assert reasons == [(3, "event"), (4, "amount_jpy"), (5, "event_at"), (6, "staff_minutes")]


def test_wrong_column_counts_and_blank_lines(tmp_path: Path) -> None:
    """Rows with too few or too many values are quarantined with their physical line; blank lines are not rows."""
    text = (
        csv_text(INQUIRY_COLUMNS, [inquiry("Q1")])
        + "\nQ2,2026-11-02\n"
        + csv_text(INQUIRY_COLUMNS, [inquiry("Q3")]).split("\n", 1)[1].rstrip("\n")
        + ",extra\n"
        + csv_text(INQUIRY_COLUMNS, [inquiry("Q4")]).split("\n", 1)[1]
    )
    path = write(tmp_path / "inq.csv", text)
    db = tmp_path / "t.duckdb"
    result = load_files([path], db)
    part = result.parts[0]
    assert (part.rows_read, part.rows_loaded, part.rows_quarantined) == (4, 2, 2)
    assert rows(db, "SELECT inquiry_id, source_line FROM inquiries ORDER BY 1") == [
        ("Q1", 2),
        ("Q4", 6),
    ]
    assert worded_rows(db, "SELECT line, left(raw, 13), reason FROM quarantine ORDER BY line") == [
        (4, "Q2,2026-11-02", "wrong column count: 2 values where the header has 11"),
        (5, "Q3,2026-11-02", "wrong column count: 12 values where the header has 11"),
    ]


@pytest.mark.slow
def test_python_fallback_agrees_with_duckdb_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exact Python csv path gives the same rows, lines and quarantine as the fast path."""
    text = JA_INQUIRY + JA_ROWS + "\nQ3,2026/11/24,a\nQ4,2026/11/40 10:00,x,y,z,,hi,3\n"
    path = write(tmp_path / "inq.csv", text, "cp932")
    fast, slow = tmp_path / "fast.duckdb", tmp_path / "slow.duckdb"
    load_files([path], fast)
    real_segments = readers._RecordScan.segments
    monkeypatch.setattr(
        readers._RecordScan, "segments", lambda self: tuple(a[:1] for a in real_segments(self))
    )
    load_files([path], slow)
    for sql in (
        "SELECT * EXCLUDE (load_id) FROM inquiries ORDER BY 1",
        "SELECT line, raw, reason FROM quarantine ORDER BY line",
    ):
        assert worded_rows(fast, sql) == worded_rows(slow, sql)
    # header 1, Q1 on lines 2-3, Q2 4, a blank line 5, then Q3 and Q4
    assert [r[0] for r in rows(slow, "SELECT line FROM quarantine ORDER BY line")] == [6, 7]


@pytest.mark.slow
def test_rows_loaded_plus_quarantined_plus_duplicates_is_rows_read(sample_db: Path) -> None:
    """Every data row of every sample file ends up exactly once: loaded, duplicate or quarantined."""
    loads = rows(
        sample_db,
        "SELECT file_name, rows_read, rows_loaded, rows_duplicate, rows_quarantined FROM loads",
    )
    assert len(loads) == 5
    for _name, read, loaded, duplicate, quarantined in loads:
        assert read == loaded + duplicate + quarantined
    assert sum(r[4] for r in loads) == rows(sample_db, "SELECT count(*) FROM quarantine")[0][0] == 5


def test_reloading_the_same_file_changes_nothing(tmp_path: Path) -> None:
    """A file already loaded is recognised by its content hash and the database file is not touched."""
    path = write(tmp_path / "inq.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q1")]))
    db = tmp_path / "t.duckdb"
    load_files([path], db)
    before = file_digest(db)
    again = load_files([path], db)
    assert again.parts[0].already_loaded
    assert not again.swapped
    assert file_digest(db) == before


@pytest.mark.slow
def test_later_export_replaces_earlier_row(tmp_path: Path) -> None:
    """A later export that repeats an inquiry_id replaces the earlier row."""
    first = write(
        tmp_path / "a.csv",
        csv_text(INQUIRY_COLUMNS, [inquiry("Q1", customer_name=None), inquiry("Q2")]),
    )
    second = write(
        tmp_path / "b.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q1", customer_name="鈴木一郎")])
    )
    db = tmp_path / "t.duckdb"
    load_files([first], db)
    result = load_files([second], db)
    assert result.parts[0].rows_replaced == 1
    assert rows(db, "SELECT inquiry_id, customer_name, source_file FROM inquiries ORDER BY 1") == [
        ("Q1", "鈴木一郎", "b.csv"),
        ("Q2", "山田太郎", "a.csv"),
    ]


@pytest.mark.slow
def test_identical_events_from_csv_and_xlsx_are_stored_once(tmp_path: Path) -> None:
    """The same event written in two date styles in a CSV and an .xlsx is counted once."""
    csv_path = write(
        tmp_path / "ev.csv",
        '問い合わせID,日時,種別,金額,担当者,対応時間(分)\nQ1,2026年11月24日 13時05分,見積送信,"5,000",佐藤,10\n',
        "cp932",
    )
    xlsx_path = tmp_path / "ev.xlsx"
    pd.DataFrame(
        {
            "inquiry_id": ["Q1", "Q1"],
            "event_at": [datetime(2026, 11, 24, 13, 5), 46351.5],
            "event": ["quote_sent", "customer_reply"],
            "amount_jpy": [5000, None],
            "staff": ["佐藤", "佐藤"],
            "staff_minutes": [10, 5],
        }
    ).to_excel(xlsx_path, index=False)
    db = tmp_path / "t.duckdb"
    result = load_files([csv_path, xlsx_path], db)
    assert result.parts[1].rows_duplicate == 1
    assert rows(db, "SELECT event, event_at FROM events ORDER BY event_at") == [
        ("quote_sent", datetime(2026, 11, 24, 13, 5)),
        ("customer_reply", datetime(2026, 11, 25, 12, 0)),
    ]
    assert rows(db, "SELECT source_line FROM events WHERE event = 'customer_reply'") == [(3,)]


@pytest.mark.slow
def test_orphan_events_are_kept_and_reported(tmp_path: Path) -> None:
    """Events whose inquiry is not loaded yet are kept and counted."""
    path = write(
        tmp_path / "ev.csv",
        csv_text(EVENT_COLUMNS, [event("Q404", "2026-11-24 10:00", "quote_sent")]),
    )
    db = tmp_path / "t.duckdb"
    result = load_files([path], db)
    assert result.parts[0].orphan_events == 1
    con = pipelines.connect(db)
    assert con.execute("SELECT inquiry_id FROM orphan_events").fetchall() == [("Q404",)]
    con.close()


def _truncated_xlsx(tmp_path: Path) -> Path:
    whole = tmp_path / "whole.xlsx"
    pd.DataFrame({"inquiry_id": ["Q1"], "received_at": ["2026-11-24"]}).to_excel(whole, index=False)
    data = whole.read_bytes()
    return write_bytes(tmp_path / "cut.xlsx", data[: len(data) // 2])


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


REFUSED = {
    "empty": (lambda p: write_bytes(p / "empty.csv", b""), "empty"),
    "whitespace only": (lambda p: write_bytes(p / "ws.csv", b"  \n\n \r\n"), "empty"),
    "unknown headers": (
        lambda p: write(p / "x.csv", "name,age\nfoo,3\n"),
        "no recognisable header",
    ),
    "missing required": (
        lambda p: write(p / "x.csv", "inquiry_id,customer_name\nQ1,foo\n"),
        "required column(s) missing: received_at",
    ),
    "two encodings": (
        lambda p: write_bytes(
            p / "mix.csv",
            ("inquiry_id,received_at\nQ1,2026-11-24 山田\n").encode()
            + "Q2,2026-11-24 佐藤\n".encode("cp932"),
        ),
        "cannot be decoded",
    ),
    "binary renamed csv": (lambda p: write_bytes(p / "bin.csv", bytes(range(256)) * 4), "binary"),
    "truncated xlsx": (_truncated_xlsx, "not a readable .xlsx"),
    "zip that is not a workbook": (lambda p: _zip(p / "fake.xlsx"), "not a readable .xlsx"),
    "xlsx that is text": (
        lambda p: write(p / "text.xlsx", "inquiry_id,received_at\n"),
        "not a zip archive",
    ),
    "old xls": (
        lambda p: write_bytes(p / "old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
        "old .xls",
    ),
    "duplicate header meaning": (
        lambda p: write(p / "dup.csv", "inquiry_id,受付番号,received_at\nQ1,Q1,2026-11-24\n"),
        "two columns mean inquiry_id",
    ),
}


def _zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    return path


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unreadable_files_are_refused_and_database_unchanged(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that cannot be read at all is refused naming file and problem; the load is all-or-nothing."""
    make, problem = REFUSED[case]
    db = tmp_path / "t.duckdb"
    load_files([write(tmp_path / "ok.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q1")]))], db)
    before = file_digest(db)
    good = write(tmp_path / "good.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q2")]))
    bad = make(tmp_path)
    with pytest.raises(FileRefused) as info:
        load_files([good, bad], db)
    assert str(info.value).startswith(bad.name + ":")
    assert problem in str(info.value)
    assert file_digest(db) == before
    assert main(["load", str(good), str(bad), "--lang", "en", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert bad.name in err
    assert "unchanged" in err
    assert file_digest(db) == before


def test_missing_file_is_refused(tmp_path: Path) -> None:
    """A path that does not exist is refused by name."""
    with pytest.raises(FileRefused, match=r"nope\.csv: file not found"):
        load_files([tmp_path / "nope.csv"], tmp_path / "t.duckdb")


@pytest.mark.slow
def test_xlsx_with_two_sheets_loads_both(tmp_path: Path) -> None:
    """A workbook with an inquiry sheet and a quote sheet loads both, with sheet and row in quarantine."""
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(
            {"問い合わせID": ["Q1", "Q2"], "受付日時": [datetime(2026, 11, 24, 9), "bad"]}
        ).to_excel(writer, sheet_name="受付", index=False)
        pd.DataFrame({"問い合わせID": ["Q1"], "日時": [46350.75], "種別": ["見積送信"]}).to_excel(
            writer, sheet_name="見積", index=False
        )
    db = tmp_path / "t.duckdb"
    result = load_files([path], db)
    assert [(p.sheet, p.kind, p.rows_loaded) for p in result.parts] == [
        ("受付", "inquiries", 1),
        ("見積", "events", 1),
    ]
    assert rows(db, "SELECT sheet, line, column_name FROM quarantine") == [
        ("受付", 3, "received_at")
    ]
    assert rows(db, "SELECT event_at FROM events") == [(datetime(2026, 11, 24, 18, 0),)]


@pytest.mark.slow
def test_a_small_file_is_planned_without_the_expression_rewriter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-row upload's own statements skip DuckDB's expression rewriter (planning them cost more
    than running them, issue 19); the statements after its files, the build, and a bigger file keep
    it. The same rows are loaded either way."""
    from pipelines import loader

    seen: list[tuple[str, str]] = []
    real_run = loader._run

    def spy(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None):
        [(setting,)] = con.execute("SELECT current_setting('disabled_optimizers')").fetchall()
        seen.append((name, setting))
        return real_run(con, name, params)

    def after(con: duckdb.DuckDBPyConnection) -> None:
        [(setting,)] = con.execute("SELECT current_setting('disabled_optimizers')").fetchall()
        seen.append(("after", setting))

    monkeypatch.setattr(loader, "_run", spy)
    small = write(tmp_path / "inq.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q1")]))
    load_files([small], tmp_path / "small.duckdb", after=after)
    assert ("typed_inquiries", "expression_rewriter") in seen
    assert ("insert_inquiries", "expression_rewriter") in seen
    assert seen[-2:] == [("count_waiting_events", ""), ("after", "")]

    seen.clear()
    monkeypatch.setattr(loader, "SMALL_FILE_BYTES", small.stat().st_size - 1)
    load_files([small], tmp_path / "big.duckdb", after=after)
    assert {setting for _, setting in seen} == {""}
    query = "SELECT * EXCLUDE (load_id) FROM inquiries"
    assert rows(tmp_path / "small.duckdb", query) == rows(tmp_path / "big.duckdb", query)


@pytest.mark.slow
def test_a_second_load_knows_the_loaded_files_without_opening_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files of a database this process wrote are remembered with its version: loading into it
    again opens no snapshot (~25 ms, issue 19) and reports exactly what reading the database does."""
    from dataclasses import asdict

    from pipelines import loader

    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"問い合わせID": ["Q1"], "受付日時": [datetime(2026, 11, 24, 9)]}).to_excel(
            writer, sheet_name="受付", index=False
        )
        pd.DataFrame({"問い合わせID": ["Q1"], "日時": [46350.75], "種別": ["見積送信"]}).to_excel(
            writer, sheet_name="見積", index=False
        )
    more = write(tmp_path / "more.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q2")]))
    db = tmp_path / "t.duckdb"
    load_files([book], db)
    load_files([more], db)  # into the file the first load wrote
    opened: list[Path] = []
    real_open = loader.open_snapshot
    monkeypatch.setattr(loader, "open_snapshot", lambda p: opened.append(p) or real_open(p))
    again = load_files([more, book], db)
    assert opened == []
    loader._written.clear()  # as a new process
    fresh = load_files([more, book], db)
    assert opened == [db]
    assert [asdict(p) for p in again.parts] == [asdict(p) for p in fresh.parts]
    assert all(p.already_loaded for p in again.parts)
    assert len(again.parts) == 3


@pytest.mark.slow
def test_line_numbers_are_the_same_passed_as_a_parameter_or_as_arrow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small file's line numbers reach DuckDB as a parameter (no pandas import), a big one's as an
    Arrow table: the same lines are stored either way, blank lines and a multi-line value included."""
    from pipelines import loader

    text = JA_INQUIRY + "\n" + JA_ROWS + "\n\nQ3,2026/11/24 13:05,x,y,z,bad date,m,1\n"
    path = write(tmp_path / "inq.csv", text)
    stored = {}
    small = loader.LINES_AS_PARAMETER
    for limit in (small, 0):
        monkeypatch.setattr(loader, "LINES_AS_PARAMETER", limit)
        db = tmp_path / f"t{limit}.duckdb"
        load_files([path], db)
        stored[limit] = (
            rows(db, "SELECT inquiry_id, source_line FROM inquiries ORDER BY 1"),
            rows(db, "SELECT line, column_name FROM quarantine ORDER BY 1"),
        )
    assert stored[0] == stored[small]
    assert stored[0] == ([("Q1", 3), ("Q2", 5)], [(8, "requested_for")])
