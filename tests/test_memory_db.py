"""tests/conftest.py memory_db: prepared in-memory databases come from a pool (tests/memory_dbs.py)
and are reused, so each one must hold exactly its own rows and nothing a previous borrower left."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import pipelines
from pipelines import api
from pipelines.settings import load_settings
from tests.conftest import AS_OF, event, inquiry, memory_db
from tests.memory_dbs import MEMORY_DBS

URGENT = "明日までに電話してください"
CALM = "見積もりをお願いします"


@pytest.mark.slow
def test_consecutive_facts_of_calls_see_only_their_own_rows(facts_of) -> None:
    """The same ID with other rows, one call after the other, gives each call's own facts."""
    urgent = facts_of([inquiry("A", "2026-11-23 10:00", message=URGENT)])
    calm = facts_of([inquiry("A", "2026-11-23 10:00", message=CALM)])
    quoted = facts_of(
        [inquiry("B", "2026-11-23 10:00")], [event("B", "2026-11-23 11:00", "quote_sent")]
    )
    assert (list(urgent.index), urgent.loc["A", "status"]) == (["A"], "rejected_urgent")
    assert (list(calm.index), calm.loc["A", "status"]) == (["A"], "open")
    assert list(quoted.index) == ["B"]
    assert (quoted.loc["B", "quotes_sent"], calm.loc["A", "quotes_sent"]) == (1, 0)


@pytest.mark.slow
def test_a_kept_database_keeps_its_rows_while_others_come_and_go(facts_of) -> None:
    """A database the test still holds is never lent again: others with the same IDs come beside it."""
    kept = memory_db([inquiry("A", message=URGENT)], [event("A", "2026-11-03 10:00", "quote_sent")])
    other = memory_db([inquiry("A", message=CALM), inquiry("B")])
    try:
        assert other is not kept
        assert list(facts_of([inquiry("C")]).index) == ["C"]
        facts = pipelines.inquiry_facts(kept, AS_OF)
        assert (list(facts["inquiry_id"]), list(facts["message"])) == (["A"], [URGENT])
        assert list(pipelines.inquiry_facts(other, AS_OF)["inquiry_id"]) == ["A", "B"]
    finally:
        kept.close()
        other.close()


def _what_it_holds(con) -> dict[str, object]:
    """Rows of every table, the temp views, the variables, the calendars and the settings."""
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()
    return {
        "rows": {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for (t,) in tables},
        "views": con.execute(
            "SELECT list(view_name ORDER BY view_name) FROM duckdb_views() WHERE NOT internal"
        ).fetchone()[0],
        "variables": con.execute(
            "SELECT list(name ORDER BY name) FROM duckdb_variables()"
        ).fetchone()[0],
        "calendars": con.execute(
            "SELECT list(DISTINCT calendar ORDER BY calendar) FROM business_days"
        ).fetchone()[0],
        "settings": api.settings_of(con),
        "key": api.database_key(con),
    }


def test_a_database_handed_back_is_emptied_to_its_prepared_state() -> None:
    """Rows, other settings and their calendar, views, registrations, variables and an open
    transaction of one borrower are all gone for the next; the same database is lent again."""
    fresh = memory_db([])
    prepared = _what_it_holds(fresh)
    fresh.close()
    settings = load_settings().with_overrides({"closed_days": "11-17..11-17", "silence_days": 9})
    con = memory_db([inquiry("A")], [event("A", "2026-11-03 10:00", "quote_sent")], settings)
    assert con is fresh  # the one handed back
    con.register("frame", pd.DataFrame({"a": [1]}))
    con.execute("CREATE TEMP VIEW mine AS SELECT 1; SET VARIABLE mine = 1")
    assert pipelines.report(con, AS_OF, overrides={"min_lead_days": 5})["inquiries"] == 1
    con.execute("SELECT * FROM range(3)").fetchone()  # a result left unread
    con.execute("BEGIN; DELETE FROM event_kinds")  # left open: rolled back
    con.close()
    again = memory_db([])
    try:
        assert again is fresh
        assert _what_it_holds(again) == prepared
        assert sum(prepared["rows"][t] for t in ("inquiries", "events", "inquiry_base")) == 0
    finally:
        again.close()


def test_a_database_changed_beyond_its_rows_is_closed_not_lent_again() -> None:
    """A table the reset does not know of: the database is dropped and another one lent."""
    con = memory_db([inquiry("A")])
    con.execute("CREATE TABLE extra (a INTEGER)")
    dropped = MEMORY_DBS.dropped
    con.close()
    other = memory_db([])
    try:
        assert MEMORY_DBS.dropped == dropped + 1
        assert other is not con
        extra = "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'extra'"
        assert other.execute(extra).fetchone()[0] == 0
        assert other.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 0
    finally:
        other.close()


@pytest.mark.slow
def test_a_database_nobody_refers_to_is_taken_back(facts_of) -> None:
    """A test that never closes its database hands it back when it lets go of it; rule tests in a
    row reuse one prepared database (the ~0.1 s of making one is paid once per process)."""
    facts_of([inquiry("W")])  # one database exists
    made = MEMORY_DBS.made
    con = memory_db([inquiry("A")])
    del con
    for day in range(1, 6):
        facts = facts_of([inquiry("A", f"2026-11-{day:02d} 10:00")], as_of=date(2026, 11, 24))
        assert list(facts["received_at"]) == [pd.Timestamp(f"2026-11-{day:02d} 10:00")]
    assert MEMORY_DBS.made == made


def test_inquiry_facts_of_a_read_write_connection_makes_no_view() -> None:
    """inquiry_facts reads the macro itself on a read-write connection (a view bound first cost
    ~10 ms per call), with the same answer as the view that evaluated() gives."""
    con = memory_db([inquiry("A", message=URGENT), inquiry("B")])
    try:
        facts = pipelines.inquiry_facts(con, AS_OF)
        views = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'facts_%'")
        assert views.fetchone()[0] == 0
        with api.evaluated(con, AS_OF) as name:
            assert name.endswith("_view")
            via_view = con.execute(
                f'SELECT * EXCLUDE (settings) FROM "{name}" ORDER BY received_at, inquiry_id'
            ).fetchdf()
        pd.testing.assert_frame_equal(facts[list(via_view.columns)], via_view)
    finally:
        con.close()


def test_folded_texts_are_those_of_the_load_macros() -> None:
    """message_norm and contact_norm, folded once per distinct text and remembered, equal what
    parse.sql's macros give for the stored rows (full-width, spaces, case, NULLs; first and second
    sight of a text)."""
    rows = [
        inquiry(
            "Ａ-1", message="ＡＳＡＰ　明日まで", customer_name="松本　誠", target_phone="０３"
        ),
        inquiry("a-2", message=None, customer_name=None, customer_email="X@Example.JP"),
    ]
    for _ in range(2):
        con = memory_db(rows)
        try:
            stored = con.execute(
                "SELECT message_norm, contact_norm, match_fold(message), "
                "contact_fold(inquiry_id, customer_name, target_phone, customer_email) "
                "FROM inquiries ORDER BY source_line"
            ).fetchall()
            assert [r[:2] for r in stored] == [r[2:] for r in stored]
            assert stored[0][0] == "asap 明日まで"
        finally:
            con.close()
