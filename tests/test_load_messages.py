"""Load messages that do not mislead: a CP932 file with one UTF-8 row names that row's line; a load
that quarantined rows or left events without their inquiry says how many, never "no problems"."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import load_files
from pipelines.__main__ import main
from pipelines.i18n import load_problems_text
from tests.reading import HEADER, refusal

EVENTS = "inquiry_id,event_at,event,staff_minutes\n"


def test_a_utf8_row_in_a_cp932_file_is_named_by_its_line(tmp_path: Path) -> None:
    """Lines 1-3 and 5 are CP932, line 4 is UTF-8: the refusal names line 4, not line 2."""
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        (HEADER + "Q1,2026-11-24,山田太郎\nQ2,2026-11-24,佐藤花子\n").encode("cp932")
        + "Q3,2026-11-24,渡辺さくら\n".encode()
        + "Q4,2026-11-24,鈴木一郎\n".encode("cp932")
    )
    exc = refusal(path)
    assert (exc.code, exc.params) == ("BAD_BYTES", {"encoding": "CP932/Shift_JIS", "line": 4})


def test_a_file_in_no_known_encoding_is_still_undecodable(tmp_path: Path) -> None:
    """Bytes that read as no Japanese text in any encoding keep the general refusal."""
    path = tmp_path / "junk.csv"
    path.write_bytes(HEADER.encode() + b"Q1,2026-11-24,\x81\x20\n")
    assert refusal(path).code == "UNDECODABLE"


@pytest.fixture
def loads(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An inquiry log with one bad date (quarantined) and a quote log with an event for Q9 (absent)."""
    inquiries = tmp_path / "inq.csv"
    inquiries.write_text(HEADER + "Q1,2026-11-24,山田太郎\nQ2,not a date,佐藤花子\n", "utf-8")
    events = tmp_path / "ev.csv"
    events.write_text(
        EVENTS + "Q1,2026-11-24 15:00,quote_sent,5\nQ9,2026-11-24 16:00,quote_sent,5\n", "utf-8"
    )
    return inquiries, events, tmp_path / "db.duckdb"


def test_a_load_that_left_rows_out_says_how_many(loads: tuple[Path, Path, Path]) -> None:
    """The result counts 1 quarantined row and 1 waiting event and words them in both languages."""
    inquiries, events, db = loads
    result = load_files([inquiries, events], db)
    assert (result.rows_quarantined, result.waiting_events, result.problems()) == (1, 1, True)
    assert load_problems_text(result, "ja") == (
        "読み取った4行のうち、新しく3行を登録、1行は登録せずに保留。"
        "問い合わせが未登録の見積ログが1件あります。"
    )
    again = load_files([inquiries, events], db)  # nothing new: earlier quarantines not re-counted
    assert again.rows_quarantined == 0


@pytest.mark.slow
def test_the_cli_load_says_what_was_left_out(
    loads: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`load` prints the counts after the per-file lines."""
    inquiries, events, db = loads
    assert main(["load", str(inquiries), str(events), "--lang", "en", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert (
        "Of the 4 rows read: 3 rows loaded as new, 1 row held back (quarantined). Held back: "
        'inq.csv line 3 (received_at: cannot read date/time "not a date"). '
        "Waiting for their inquiry: 1 event of the quote log." in out
    )
