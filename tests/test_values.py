"""Values: blank lines and zero-width characters, impossible dates and times, malformed amounts, and
what makes an event the same event.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import readers
from pipelines.readers import (
    REASONS,
)
from tests.conftest import EVENT_COLUMNS, INQUIRY_COLUMNS, csv_text, event, inquiry
from tests.reading import HEADER, load, quarantined, rows, workbook


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
