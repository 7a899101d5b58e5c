"""How the facts are evaluated (pipelines.evaluation.evaluated) never changes an answer.

The first request for an as-of day and settings reads the facts through a view (evaluated inside the
statement); the second builds them once into the process-wide cache (pipelines.evaluation.FACTS); later ones
read the cache. Every API function must give the same result all three ways, on the bundled sample
(read-only snapshots, as the CLI, the dashboard and notebooks use). The cache is keyed by (database,
as-of, settings) in Python and shared by every cursor (session) of a snapshot: one build serves all
who ask for it at once. (Issue 19 moved the cache out of SQL variables: these tests ask the cache.)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import pipelines
from pipelines import api, queries
from pipelines.definitions import session_cursor

AS_OF = "2026-11-20"
START = "2026-09-01"
CALLS: dict[str, Callable] = {
    "report": lambda con: api.report(con, AS_OF),
    "report_period": lambda con: api.report(con, AS_OF, START, AS_OF),
    "report_what_if": lambda con: api.report(con, AS_OF, overrides={"min_lead_days": 5}),
    "headline": lambda con: api.headline(con, AS_OF, START, AS_OF),
    "metrics_by": lambda con: api.metrics_by(con, "W", AS_OF, START, AS_OF),
    "funnel": lambda con: api.funnel(con, AS_OF),
    "staff_time_by_status": lambda con: api.staff_time_by_status(con, AS_OF),
    "status_counts": lambda con: api.status_counts(con, AS_OF),
    "staff_performance": lambda con: api.staff_performance(con, AS_OF, START, AS_OF),
    "staff_lists": lambda con: api.staff_lists(con, AS_OF),
    "rule_trace": lambda con: api.rule_trace(con, "Q0004755", AS_OF),
    "inquiry_facts": lambda con: api.inquiry_facts(con, AS_OF),
    "what_if": lambda con: api.what_if(con, {"min_lead_days": 2}, AS_OF),
    "search": lambda con: queries.search_inquiries(con, AS_OF, "田中").rows,
    "inquiry_detail": lambda con: queries.inquiry_detail(con, "Q0004755", AS_OF),
}


def same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
        return True
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return same(list(a), list(b))
    return a == b or (a != a and b != b)  # NaN equals NaN here


@pytest.mark.slow
@pytest.mark.parametrize("name", CALLS)
def test_view_table_and_stored_table_give_the_same_answer(sample_db: Path, name: str) -> None:
    """First call (view), second (stores the table), third (reads it): equal results."""
    con = pipelines.connect(sample_db)
    try:
        first, second, third = (CALLS[name](con) for _ in range(3))
        stored = [k for k in api.FACTS.stored_keys() if k[0] == api.database_key(con)]
    finally:
        con.close()
    assert same(first, second)
    assert same(second, third)
    assert stored, "the second request stores the facts"


@pytest.mark.slow
def test_a_view_is_evaluated_under_its_own_settings(sample_db: Path) -> None:
    """A what-if reads today's facts and the changed facts in one statement: today's stay today's."""
    con = pipelines.connect(sample_db)
    try:
        figures, moved = api.what_if(con, {"min_lead_days": 5}, AS_OF)
        today = api.report(con, AS_OF)
        changed = api.report(con, AS_OF, overrides={"min_lead_days": 5})
    finally:
        con.close()
    assert len(moved) > 0
    value = figures.set_index("metric")
    assert value.loc["urgent_requests", "current"] == today["urgent_requests"]
    assert value.loc["urgent_requests", "changed"] == changed["urgent_requests"]
    assert today["urgent_requests"] < changed["urgent_requests"]
    assert set(moved["status_current"]) != set(moved["status_changed"])


@pytest.mark.slow
def test_keep_facts_stores_a_day_for_the_queries_that_follow(sample_db: Path) -> None:
    """A page stores its day first; its queries then read the table (no view is made for it)."""
    con = pipelines.connect(sample_db)
    try:
        builds = api.FACTS.builds
        assert api.keep_facts(con, AS_OF)
        before = api.report(con, AS_OF)
        tables = [k for k in api.FACTS.stored_keys() if k[0] == api.database_key(con)]
    finally:
        con.close()
    assert api.FACTS.builds == builds + 1
    assert len(tables) == 1
    assert before == api.report(pipelines.connect(sample_db), AS_OF)


def test_keep_facts_keeps_nothing_on_a_read_write_connection() -> None:
    """A read-write connection's data may change between calls: it is always evaluated afresh."""
    from tests.conftest import inquiry, memory_db

    con = memory_db([inquiry("K1")])
    try:
        assert api.database_key(con) is None
        assert not api.keep_facts(con, AS_OF)
        assert [k for k in api.FACTS.stored_keys() if k[0] is None] == []
    finally:
        con.close()


@pytest.mark.slow
def test_sessions_share_one_build_of_a_day(sample_db: Path) -> None:
    """Cursors of one snapshot (one per session) asking for a day at once get one build between them,
    and the same answers as the connection itself."""
    con = pipelines.connect(sample_db)
    try:
        cursors = [session_cursor(con) for _ in range(4)]
        builds = api.FACTS.builds
        with ThreadPoolExecutor(4) as pool:
            kept = list(pool.map(lambda c: api.keep_facts(c, "2026-11-19"), cursors))
            reports = list(pool.map(lambda c: api.report(c, "2026-11-19"), cursors))
        assert kept == [True] * 4
        assert api.FACTS.builds == builds + 1
        assert reports == [api.report(con, "2026-11-19")] * 4
    finally:
        con.close()


@pytest.mark.slow
def test_a_what_if_leaves_the_connection_as_it_was(sample_db: Path) -> None:
    """Settings are a parameter: a what-if changes no variable and no calendar of the connection."""
    con = pipelines.connect(sample_db)
    try:
        variables = con.execute(
            "SELECT name, value FROM duckdb_variables() ORDER BY name"
        ).fetchall()
        before = api.report(con, AS_OF)
        api.what_if(con, {"min_lead_days": 5, "closed_days": ""}, AS_OF)
        assert api.report(con, AS_OF) == before
        after = con.execute("SELECT name, value FROM duckdb_variables() ORDER BY name").fetchall()
        assert [v for v in after if not v[0].startswith("facts_")] == [
            v for v in variables if not v[0].startswith("facts_")
        ]
        assert api.settings_of(con) == pipelines.load_settings()
    finally:
        con.close()


def _period_questions(con, day: str, start: str) -> dict[str, object]:
    """Every question the Overview asks of one period, as plain values."""
    answers: dict[str, object] = {"headline": api.headline(con, day, start, day)}
    for unit in ("D", "W", "M"):
        answers[unit] = api.metrics_by(con, unit, day, start, day).to_dict("list")
    answers["funnel"] = api.funnel(con, day, start, day).to_dict("list")
    answers["time"] = api.staff_time_by_status(con, day, start, day).to_dict("list")
    answers["statuses"] = api.status_counts(con, day, start, day).to_dict("list")
    answers["people"] = api.staff_performance(con, day, start, day).to_dict("list")
    figures, moved = api.what_if(con, {"min_lead_days": 2}, day, start, day)
    answers["what_if"] = (figures.to_dict("list"), moved.to_dict("list"))
    return answers


@pytest.mark.slow
@pytest.mark.parametrize(
    ("day", "start"),
    [("2026-11-20", "2026-08-23"), ("2026-11-20", "2026-11-01"), ("2026-06-30", "2026-04-01")],
)
def test_a_periods_kept_facts_answer_as_all_the_facts(
    sample_db: Path, day: str, start: str
) -> None:
    """keep_facts with a period keeps only the period's and every contract's facts (the Overview's
    90 days at a million inquiries: 28 % of them), and every period question answers from them as
    from all the facts -- `mature` included, which reads every contract: with the period's facts
    alone the daily and weekly charts' `mature` differ for each of these periods."""
    con = pipelines.connect(sample_db)
    try:
        mine = api.database_key(con)
        assert api.keep_facts(con, day)
        everything = _period_questions(con, day, start)
        api.FACTS.clear()
        assert api.keep_facts(con, day, None, start, day)
        [key] = [k for k in api.FACTS.stored_keys() if k[0] == mine]
        kept = api.FACTS.get(key).to_pandas()
        answers = _period_questions(con, day, start)
        assert [k for k in api.FACTS.stored_keys() if k[0] == mine] == [key]  # nothing more built
        facts = api.inquiry_facts(con, day)
    finally:
        con.close()
    in_period = facts["received_date"].between(pd.Timestamp(start), pd.Timestamp(day))
    assert set(kept["inquiry_id"]) == set(facts.loc[in_period | facts["converted"], "inquiry_id"])
    assert len(kept) < len(facts)
    assert repr(answers) == repr(everything)
