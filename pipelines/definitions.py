"""What every connection gets: nfkc(), the vocabulary as variables, the calendar, the macros.

The SQL files in ``pipelines/sql/`` are the one definition of every rule and metric; this module only
hands them their inputs. The settings reach the rules as a parameter (``Settings.sql_struct()``), the
vocabulary as variables; values are never formatted into the text.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import uuid
from functools import cache
from importlib import resources

import duckdb

from pipelines.calendar import calendar_parameters
from pipelines.nfkc_ranges import changeable_pattern
from pipelines.settings import Settings, load_settings
from pipelines.vocabulary import sql_variables

# Every connection's macros; a write needs them all too (it stores the rules' inquiry_base).
READER_SQL = ("parse.sql", "summaries.sql", "rules.sql")
# The rules and metrics alone (a report, the dashboard's read-only sessions): they read no macro of
# parse.sql (a session cursor prepared without it: ~20 ms instead of ~40).
RULES_SQL = ("summaries.sql", "rules.sql")


def sql_text(name: str) -> str:
    """The text of one of the package's SQL files (a path under pipelines/sql/)."""
    return resources.files("pipelines").joinpath("sql", name).read_text(encoding="utf-8")


@cache
def named_statements(name: str) -> dict[str, str]:
    """The statements of a SQL file, each headed by a '-- name: NAME' line, by name."""
    chunks = re.split(r"^-- name: (\w+)\n", sql_text(name), flags=re.M)
    return {chunks[i]: chunks[i + 1].strip() for i in range(1, len(chunks), 2)}


# each SQL file's fingerprint and statements, parsed once per process (each run copies them)
_PARSED: dict[str, tuple[str, tuple[duckdb.Statement, ...]]] = {}


def run_sql_file(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run a SQL file's statements on a connection (or cursor), unless this very text already ran
    there (its temp macros and views are still there); the text is parsed once per process."""
    if name not in _PARSED:  # parsing reads no connection's state: any connection will do
        text = sql_text(name)
        fingerprint = f"{name}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"
        _PARSED[name] = fingerprint, tuple(con.extract_statements(text))
    fingerprint, statements = _PARSED[name]
    [(done,)] = con.execute("SELECT getvariable('prepared_sql')").fetchall()
    if fingerprint in (done or []):
        return
    for statement in statements:
        con.execute(statement)
    con.execute("SET VARIABLE prepared_sql = ?::VARCHAR[]", [[*(done or []), fingerprint]])


def _nfkc(values: object) -> object:
    """NFKC of an Arrow text array (the SQL function nfkc()). DuckDB evaluates these annotations
    when the function is registered: they name no Arrow type, so Arrow loads only when it runs."""
    import pyarrow.compute as pc

    return pc.utf8_normalize(values, form="NFKC")


def connection_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    """The settings a connection was prepared with (kept on the connection itself, so they survive
    a reload of this module in a long-running dashboard)."""
    [(text,)] = con.execute("SELECT getvariable('settings_json')").fetchall()
    return Settings.from_json(text)


# A read-only database's calendars live in an in-memory database attached to its instance, shared
# by every cursor (each session's): built once per calendar key, not once per cursor (~15 ms each).
# A read-write connection keeps its own temp table (its calendars go with it).
SHARED = "opsdash_shared"
_CALENDARS = threading.Lock()  # held while a calendar is looked for and, if missing, built


def _calendar_table(con: duckdb.DuckDBPyConnection, read_only: bool) -> None:
    """Give a connection its business_days: a view of the instance's shared table (read-only),
    else a temp table of its own."""
    columns = "calendar VARCHAR, day DATE, is_business_day BOOLEAN, business_day_index BIGINT"
    if not read_only:
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS business_days ({columns})")
        return
    with _CALENDARS:  # one cursor creates the shared table, the others find it
        con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {SHARED} (READ_WRITE)")
        con.execute(f"CREATE TABLE IF NOT EXISTS {SHARED}.business_days ({columns})")
    con.execute(
        f"CREATE TEMP VIEW IF NOT EXISTS business_days AS SELECT * FROM {SHARED}.business_days"
    )


def ensure_calendar(con: duckdb.DuckDBPyConnection, settings: Settings) -> str:
    """Make sure business_days holds the calendar of the settings' closed days; returns its key."""
    key = settings.calendar_key()
    with _CALENDARS:  # cursors sharing the calendars: one builds a missing one, the others wait
        [(known, shared)] = con.execute(
            "SELECT count(*) FILTER (WHERE calendar = ?) > 0, "
            "current_setting('access_mode') = 'read_only' FROM business_days",
            [key],
        ).fetchall()
        if not known:  # built in DuckDB: no pandas for a command that only reads
            params = {"key": key, **calendar_parameters(settings)}
            target = f"{SHARED}.business_days" if shared else "temp.main.business_days"
            con.execute(
                f"INSERT INTO {target} " + named_statements("calendar.sql")["business_days"],
                params,
            )
    return key


_PARENTS = threading.Lock()  # held while a session's cursor reads the connection it comes from


def session_cursor(
    con: duckdb.DuckDBPyConnection, sql_files: tuple[str, ...] = RULES_SQL
) -> duckdb.DuckDBPyConnection:
    """A cursor of a connection for one session (its own temp objects; no lock shared with other
    sessions), prepared with the connection's settings and reading the same facts cache; with the
    rules' macros (sql_files: READER_SQL for parse.sql's too)."""
    with _PARENTS:  # sessions starting at once: a connection runs one call at a time
        cursor = con.cursor()
        settings = connection_settings(con)
        [(key, office_db)] = con.execute(
            "SELECT getvariable('database_key'), getvariable('office_db')"
        ).fetchall()
    prepare(cursor, settings, sql_files)
    cursor.execute("SET VARIABLE database_key = ?", [key])
    cursor.execute("SET VARIABLE office_db = ?", [office_db])  # its marks (pipelines.office.marks)
    from pipelines.office.marks import load_marks

    load_marks(cursor)
    return cursor


def prepare(
    con: duckdb.DuckDBPyConnection,
    settings: Settings | None = None,
    sql_files: tuple[str, ...] = READER_SQL,
    calendar: bool = True,
) -> duckdb.DuckDBPyConnection:
    """Give a connection (or a cursor: each has its own) the definitions: nfkc(), variables,
    calendar, macros. calendar=False: no business_days rows (a write reads none; ~15 ms)."""
    settings = settings or load_settings()
    # DuckDB's progress bar writes to stdout, which is the CLI's; in Jupyter without ipywidgets
    # DuckDB refuses to touch the setting at all, and shows no bar there anyway.
    with contextlib.suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")
    if "parse.sql" in sql_files:  # its only user; registering it imports numpy (0.1 s)
        with contextlib.suppress(duckdb.CatalogException, duckdb.NotImplementedException):
            # already registered on this connection
            con.create_function("nfkc", _nfkc, ["VARCHAR"], "VARCHAR", type="arrow")
    con.execute("SET VARIABLE nfkc_changeable = ?", [changeable_pattern()])  # nfkc_fast()
    for name, value in sql_variables().items():  # the vocabulary: constants, not settings
        con.execute(f"SET VARIABLE {name} = ?", [value])
    # the connection's own settings (what a call without overrides computes with); never changed
    con.execute("SET VARIABLE settings_json = ?", [settings.to_json()])
    # which data a read-only connection sees (its cursors share it): the key of its facts in the
    # process-wide cache (pipelines.api); a read-write connection's data may change: no key
    read_only = con.execute("SELECT current_setting('access_mode') = 'read_only'").fetchone()[0]
    key = uuid.uuid4().hex if read_only else None
    con.execute("SET VARIABLE database_key = ?::VARCHAR", [key])
    # one calendar per key (a second prepare of the same connection keeps the ones it has)
    _calendar_table(con, read_only)
    if calendar:
        ensure_calendar(con, settings)
    for name in sql_files:
        run_sql_file(con, name)
    return con
