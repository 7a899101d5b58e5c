"""The page-speed paths give the answers of the plain evaluation (issue 25).

- The staff lists evaluate only the inquiries that can be on a list of day A (inquiry_facts scope
  'lists') and keep their entries per facts key; the lists must equal the staff_lists macro over every
  inquiry's facts, for days and settings that move each list's edges.
- The Inquiries page's default search (open work) evaluates only inquiries that can be open (scope
  'open'); its pages must equal the same search over every inquiry's facts.
- Today reads the lists without customer details and fetches details for the cards shown: joined
  back, they are the full lists.
- A mark re-reads the marks over the kept entries: no facts are built for it, and it shows at once.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import pipelines
from pipelines import api, queries
from pipelines.office import marks
from pipelines.vocabulary import OPEN_STATUSES, STAFF_LISTS
from tests.conftest import event, inquiry, memory_db

DAYS = ("2026-11-20", "2026-11-24", "2026-06-01", "2025-12-29", "2026-01-05", "2026-05-03")
OVERRIDES = (
    None,
    {"refusal_days": 0},
    {"refusal_days": 7},
    {"min_lead_days": 0},
    {"min_lead_days": 9, "silence_days": 2},
    {"upcoming_days": 30, "follow_up_days": 1},
)
NEVER = "no_such_status"  # a status filter that matches nothing: the search keeps every inquiry


def full_lists(con, day: str, overrides) -> dict[str, pd.DataFrame]:
    """The staff_lists macro over every inquiry's facts (no scope, nothing kept)."""
    with api.evaluated(con, day, overrides) as facts:
        frame = con.execute("SELECT * FROM staff_lists(?)", [facts]).fetchdf()
    return {
        name: frame[frame["list"] == name].drop(columns="list").reset_index(drop=True)
        for name in STAFF_LISTS
    }


@pytest.mark.slow
@pytest.mark.parametrize("day", DAYS)
def test_lists_of_the_listable_inquiries_equal_the_lists_of_all(sample_db: Path, day: str) -> None:
    con = pipelines.connect(sample_db)
    try:
        for overrides in OVERRIDES:
            expected = full_lists(con, day, overrides)
            got = api.staff_lists(con, day, overrides)
            assert sum(len(f) for f in expected.values()) > 0
            for name in STAFF_LISTS:
                pd.testing.assert_frame_equal(got[name], expected[name], obj=f"{day} {name}")
    finally:
        con.close()


@pytest.mark.slow
def test_lists_on_a_closed_days_calendar_equal_the_lists_of_all(sample_db: Path) -> None:
    """The refusals' window counts business days of the settings' calendar."""
    con = pipelines.connect(sample_db)
    try:
        closed = {"closed_days": (("11-21", "11-23"), ("05-02", "05-06")), "refusal_days": 3}
        for day in ("2026-11-20", "2026-11-25", "2026-05-06"):
            expected = full_lists(con, day, closed)
            got = api.staff_lists(con, day, closed)
            for name in STAFF_LISTS:
                pd.testing.assert_frame_equal(got[name], expected[name], obj=f"{day} {name}")
    finally:
        con.close()


def test_lists_without_details_plus_the_details_are_the_lists(sample_db: Path) -> None:
    con = pipelines.connect(sample_db)
    try:
        full = api.staff_lists(con, DAYS[0])
        brief = api.staff_list_rows(con, DAYS[0])
        for name in STAFF_LISTS:
            assert "message" not in brief[name].columns
            if brief[name].empty:  # (an empty merge has other dtypes)
                continue
            joined = queries.with_details(con, brief[name])[list(full[name].columns)]
            pd.testing.assert_frame_equal(joined, full[name], obj=name)
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("day", ["2026-11-20", "2026-03-01"])
def test_open_work_search_equals_the_search_of_all(sample_db: Path, day: str) -> None:
    con = pipelines.connect(sample_db)
    try:
        for overrides in (None, {"min_lead_days": 0}, {"min_lead_days": 10}):
            for text in ("", "田中", "q00"):
                for statuses in (OPEN_STATUSES, ("open",), ("incomplete",)):
                    for page in (1, 2):
                        got = queries.search_inquiries(
                            con, day, text, statuses, page=page, overrides=overrides
                        )
                        every = queries.search_inquiries(
                            con, day, text, (*statuses, NEVER), page=page, overrides=overrides
                        )
                        assert got.total == every.total
                        pd.testing.assert_frame_equal(got.rows, every.rows)
        assert queries.search_inquiries(con, "2026-11-20", "", OPEN_STATUSES).total > 0
    finally:
        con.close()


@pytest.mark.slow
def test_a_mark_builds_no_facts_and_shows_at_once(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    shutil.copyfile(sample_db, db)  # its own office store beside it
    day = "2026-11-20"
    con = pipelines.connect(db)
    try:
        before = api.staff_list_rows(con, day)
        builds = api.FACTS.builds
        name = next(n for n in STAFF_LISTS if len(before[n]))
        row = before[name].iloc[0]
        seen = row["last_event_at"]
        seen = None if pd.isna(seen) else seen.to_pydatetime()
        marks.done(db, row["inquiry_id"], name, date.fromisoformat(day), "test", seen)
        after = api.staff_list_rows(con, day)
        assert api.FACTS.builds == builds, "a mark re-reads only the marks"
        flagged = after[name].set_index("inquiry_id")["done"]
        assert bool(flagged[row["inquiry_id"]])
        assert not before[name].set_index("inquiry_id")["done"][row["inquiry_id"]]
        assert after[name]["inquiry_id"].tolist() == before[name]["inquiry_id"].tolist()
    finally:
        con.close()


@pytest.mark.slow
def test_sessions_starting_at_once_each_get_a_cursor(sample_db: Path) -> None:
    """Five sessions opening a page at once each make a cursor of the one snapshot connection (the
    connection runs one call at a time: 'connection is busy with another call' reached a page)."""
    from concurrent.futures import ThreadPoolExecutor

    from pipelines.definitions import session_cursor

    con = pipelines.connect(sample_db)
    try:
        for _ in range(3):
            with ThreadPoolExecutor(5) as pool:
                cursors = list(pool.map(lambda _i: session_cursor(con), range(5)))
            assert [c.execute("SELECT count(*) FROM inquiries").fetchone()[0] for c in cursors] == [
                queries.inquiry_count(con)
            ] * 5
    finally:
        con.close()


@pytest.mark.slow
def test_scopes_keep_inquiries_whose_requested_date_is_read_from_the_message() -> None:
    """The pre-filters read the same requested date as the rules: a day named in the message when
    requested_for is blank (SPEC "The requested date"), and none with urgent_by_message off."""
    from tests.conftest import event, inquiry, memory_db

    rows = [
        inquiry("M1", "2026-11-20 10:00", message="12月10日にお願いします"),
        inquiry("M2", "2026-11-20 10:00", message="12月1日にお願いします", customer_name=""),
        inquiry("M3", "2026-11-02 10:00", message="11月10日に電話して"),
        inquiry("M4", "2026-11-20 10:00", message="明日電話して"),
        inquiry("M5", "2026-11-20 10:00", message="見積もりをお願いします"),
    ]
    events = [
        event("M1", "2026-11-21 10:00", "quote_sent", amount_jpy=30000),
        event("M1", "2026-11-22 10:00", "customer_reply"),
        event("M3", "2026-11-03 10:00", "quote_sent", amount_jpy=30000),
        event("M3", "2026-11-04 10:00", "contract_signed"),
    ]
    con = memory_db(rows, events)
    try:
        for day in ("2026-11-10", "2026-11-24", "2026-11-28", "2026-12-07", "2026-12-10"):
            for overrides in (None, {"urgent_by_message": False}, {"min_lead_days": 0}):
                expected = full_lists(con, day, overrides)
                got = api.staff_lists(con, day, overrides)
                for name in STAFF_LISTS:
                    pd.testing.assert_frame_equal(got[name], expected[name], obj=f"{day} {name}")
                for statuses in (OPEN_STATUSES, ("open",), ("incomplete",)):
                    got_page = queries.search_inquiries(con, day, "", statuses, overrides=overrides)
                    every = queries.search_inquiries(
                        con, day, "", (*statuses, NEVER), overrides=overrides
                    )
                    assert got_page.total == every.total
                    pd.testing.assert_frame_equal(got_page.rows, every.rows)
        assert api.staff_lists(con, "2026-12-07")["sign_by"]["inquiry_id"].tolist() == ["M1"]
        assert api.staff_lists(con, "2026-11-10")["eligible"]["inquiry_id"].tolist() == ["M3"]
    finally:
        con.close()


def test_undated_inquiries_are_left_out_only_when_their_quote_is_judged_as_of_k() -> None:
    """The lists' scope leaves out an inquiry without a requested date whose first quote, in the
    quote log as known at K, is old enough to judge; one quoted only after K is unquoted then (on
    Quotes due), however old its quote is by A's end. Each way, the lists of every inquiry's facts."""
    rows = [
        inquiry("JUDGED", "2026-11-02 10:00"),  # quoted long ago, never answered: silent
        inquiry("ANSWERED", "2026-11-02 11:00"),  # quoted long ago, answered: open, on no list
        inquiry("FRESH", "2026-11-12 10:00"),  # quoted four days ago: follow-up
        inquiry("UNQUOTED", "2026-11-02 12:00"),  # never quoted: quote overdue
        inquiry("AFTER_K", "2026-11-10 10:00"),  # first quoted the day after K
    ]
    events = [
        event("JUDGED", "2026-11-03 10:00", "quote_sent", amount_jpy=30000, staff="佐藤"),
        event("ANSWERED", "2026-11-03 10:00", "quote_sent", amount_jpy=30000, staff="佐藤"),
        event("ANSWERED", "2026-11-04 10:00", "customer_reply"),
        event("FRESH", "2026-11-16 10:00", "quote_sent", amount_jpy=30000, staff="佐藤"),
        event("AFTER_K", "2026-11-19 10:00", "quote_sent", amount_jpy=30000, staff="佐藤"),
    ]
    con = memory_db(rows, events)
    day, k = "2026-11-20", "2026-11-18"
    try:
        for overrides in (None, {"silence_days": 0}, {"silence_days": 30}):
            for known in (None, k):
                with api.evaluated(con, day, overrides, known_at=known) as facts:
                    frame = con.execute("SELECT * FROM staff_lists(?)", [facts]).fetchdf()
                got = api.staff_lists(con, day, overrides, known_at=known)
                for name in STAFF_LISTS:
                    expected = frame[frame["list"] == name].drop(columns="list")
                    pd.testing.assert_frame_equal(
                        got[name],
                        expected.reset_index(drop=True),
                        obj=f"{overrides} {known} {name}",
                    )
        on = {n: set(f["inquiry_id"]) for n, f in api.staff_lists(con, day, known_at=k).items()}
        assert on["quote_due"] == {"UNQUOTED", "AFTER_K"}
        assert on["follow_up"] == {"FRESH"}
        assert set().union(*on.values()) == {"UNQUOTED", "AFTER_K", "FRESH"}
        assert (
            "AFTER_K"
            not in api.staff_lists(con, day, {"silence_days": 0})["quote_due"].inquiry_id.tolist()
        )
    finally:
        con.close()
