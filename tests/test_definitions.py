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
