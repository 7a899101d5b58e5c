"""What every connection gets: nfkc(), the vocabulary and settings as variables, the calendar, the macros.

The SQL files in ``pipelines/sql/`` are the one definition of every rule and metric; this module only
hands them their inputs. Values reach SQL as variables or parameters, never formatted into the text.
"""

from __future__ import annotations

import contextlib
import re
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.calendar import business_day_table
from pipelines.settings import Settings, load_settings
from pipelines.vocabulary import sql_variables

# Every connection's macros; a write needs them all too (it stores the rules' inquiry_base).
READER_SQL = ("parse.sql", "summaries.sql", "rules.sql")


def sql_text(name: str) -> str:
    """The text of one of the package's SQL files (a path under pipelines/sql/)."""
    return resources.files("pipelines").joinpath("sql", name).read_text(encoding="utf-8")


@cache
def named_statements(name: str) -> dict[str, str]:
    """The statements of a SQL file, each headed by a '-- name: NAME' line, by name."""
    chunks = re.split(r"^-- name: (\w+)\n", sql_text(name), flags=re.M)
    return {chunks[i]: chunks[i + 1].strip() for i in range(1, len(chunks), 2)}


def _nfkc(values: pa.Array) -> pa.Array:
    return pc.utf8_normalize(values, form="NFKC")


def connection_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    """The settings a connection was prepared with (kept on the connection itself, so they survive
    a reload of this module in a long-running dashboard)."""
    [(text,)] = con.execute("SELECT getvariable('settings_json')").fetchall()
    return Settings.from_json(text)


def set_variables(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Hand the settings and the vocabulary to SQL as variables (getvariable('min_lead_days'), …)
    and the business-day calendar of its closed_days as the temp table business_days."""
    for name, value in {**settings.sql_values(), **sql_variables()}.items():
        con.execute(f"SET VARIABLE {name} = ?", [value])
    calendar = business_day_table(settings)  # noqa: F841 - read by name below
    con.execute(
        "CREATE OR REPLACE TEMP TABLE business_days AS "
        "SELECT CAST(day AS DATE) AS day, is_business_day, business_day_index FROM calendar"
    )


def prepare(
    con: duckdb.DuckDBPyConnection,
    settings: Settings | None = None,
    sql_files: tuple[str, ...] = READER_SQL,
) -> duckdb.DuckDBPyConnection:
    """Give a connection the shared definitions: nfkc(), variables, calendar, macros."""
    settings = settings or load_settings()
    # DuckDB's progress bar writes to stdout, which is the CLI's; in Jupyter without ipywidgets
    # DuckDB refuses to touch the setting at all, and shows no bar there anyway.
    with contextlib.suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")
    with contextlib.suppress(duckdb.CatalogException, duckdb.NotImplementedException):
        # already registered on this connection
        con.create_function("nfkc", _nfkc, ["VARCHAR"], "VARCHAR", type="arrow")
    set_variables(con, settings)
    con.execute("SET VARIABLE settings_json = ?", [settings.to_json()])
    con.execute("SET VARIABLE facts_tables = ?::VARCHAR[]", [[]])
    con.execute("SET VARIABLE facts_seen = ?::VARCHAR[]", [[]])
    for name in sql_files:
        con.execute(sql_text(name))
    return con
