"""prepare(): what a connection gets, made cheaply (parsed once per process, not redone on it)."""

from __future__ import annotations

import duckdb

from pipelines import definitions
from pipelines.definitions import prepare
from pipelines.settings import load_settings

MACROS = "SELECT function_name FROM duckdb_functions() WHERE function_type LIKE '%macro%' AND NOT internal ORDER BY 1"


def test_a_second_prepare_of_a_connection_defines_the_same_and_keeps_its_calendar() -> None:
    """Preparing twice gives the same macros, variables and one calendar, not two copies of it."""
    settings = load_settings()
    con = prepare(duckdb.connect(), settings, sql_files=("parse.sql",))
    macros = con.execute(MACROS).fetchall()
    days = con.execute("SELECT count(*), count(DISTINCT calendar) FROM business_days").fetchall()
    prepare(con, settings, sql_files=("parse.sql",))
    assert con.execute(MACROS).fetchall() == macros
    assert (
        con.execute("SELECT count(*), count(DISTINCT calendar) FROM business_days").fetchall()
        == days
    )
    assert con.execute("SELECT parse_ts('2026/11/24 09:30')").fetchone()[0].isoformat() == (
        "2026-11-24T09:30:00"
    )
    [(done,)] = con.execute("SELECT getvariable('prepared_sql')").fetchall()
    assert [name.split(":")[0] for name in done] == ["parse.sql"]


def test_a_cursor_and_a_changed_file_get_the_statements_again(monkeypatch) -> None:
    """A cursor has its own temp catalog; a SQL file whose text changed runs again."""
    settings = load_settings()
    con = prepare(duckdb.connect(), settings, sql_files=("parse.sql",))
    cursor = prepare(con.cursor(), settings, sql_files=("parse.sql",))
    assert cursor.execute(MACROS).fetchall() == con.execute(MACROS).fetchall()
    text = definitions.sql_text("parse.sql") + "\nCREATE OR REPLACE TEMP MACRO one_more() AS 1;\n"
    monkeypatch.setattr(definitions, "sql_text", lambda name: text)
    monkeypatch.setattr(definitions, "_PARSED", {})
    prepare(con, settings, sql_files=("parse.sql",))
    assert con.execute("SELECT one_more()").fetchone() == (1,)


def _calendars(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(calendar key, days, distinct days) of each calendar a connection's business_days holds."""
    return con.execute(
        "SELECT calendar, count(*), count(DISTINCT day) FROM business_days GROUP BY ALL ORDER BY 1"
    ).fetchall()


def test_the_cursors_of_a_read_only_database_share_its_calendars(sample_db) -> None:
    """Every session cursor of a read-only connection reads the calendars built once for it: a
    calendar one cursor builds (other closed days) is there for the next, none twice; they are the
    days a read-write connection builds for itself."""
    import pipelines
    from pipelines.definitions import ensure_calendar, session_cursor

    settings = load_settings()
    other = settings.with_overrides({"closed_days": "11-17..11-17"})
    con = pipelines.connect(sample_db, settings)
    first = session_cursor(con)
    built = _calendars(first)
    assert [key for key, _, _ in built] == [settings.calendar_key()]
    assert all(days == distinct for _, days, distinct in built)
    ensure_calendar(first, other)
    second = session_cursor(con)
    assert _calendars(second) == _calendars(first) == _calendars(con)
    assert {key for key, _, _ in _calendars(second)} == {
        settings.calendar_key(),
        other.calendar_key(),
    }
    own = prepare(duckdb.connect(), other, sql_files=("parse.sql",))
    query = "SELECT day, is_business_day, business_day_index FROM business_days WHERE calendar = ?"
    query += " ORDER BY day"
    key = [other.calendar_key()]
    assert second.execute(query, key).fetchall() == own.execute(query, key).fetchall()


def test_cursors_asking_for_a_calendar_at_once_build_it_once(sample_db) -> None:
    """Sessions starting together under new closed days: one builds the calendar, the others read
    it (each key's days once)."""
    from concurrent.futures import ThreadPoolExecutor

    import pipelines
    from pipelines.definitions import ensure_calendar, session_cursor

    settings = load_settings()
    con = pipelines.connect(sample_db, settings)
    others = [settings.with_overrides({"closed_days": f"11-{d}..11-{d}"}) for d in (17, 18)]

    def start(n: int) -> str:
        return ensure_calendar(session_cursor(con), others[n % 2])

    with ThreadPoolExecutor(6) as pool:
        keys = set(pool.map(start, range(6)))
    calendars = _calendars(con)
    assert {key for key, _, _ in calendars} == keys | {settings.calendar_key()}
    assert len(calendars) == 3
    assert all(days == distinct for _, days, distinct in calendars)
