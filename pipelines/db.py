"""Database files and connections: the schema, and what every connection gets (macros, settings, calendar).

Readers open the database read-only and never block a load: the loader builds the next version of the
file beside it and swaps it in with an atomic rename (see ``pipelines.loader``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.calendar import business_day_table
from pipelines.settings import Settings, load_settings

DEFAULT_DB = Path("data") / "ops.duckdb"
SQL_FILES_READER = ("parse.sql", "rules.sql")


def default_db_path() -> Path:
    """The database path: $OPSDASH_DB, else data/ops.duckdb."""
    return Path(os.environ.get("OPSDASH_DB") or DEFAULT_DB)


def sql_text(name: str) -> str:
    """The text of one of the package's SQL files."""
    return resources.files("pipelines").joinpath("sql", name).read_text(encoding="utf-8")


def _nfkc(values: pa.Array) -> pa.Array:
    return pc.utf8_normalize(values, form="NFKC")


def prepare(
    con: duckdb.DuckDBPyConnection,
    settings: Settings | None = None,
    sql_files: tuple[str, ...] = SQL_FILES_READER,
) -> duckdb.DuckDBPyConnection:
    """Give a connection the shared definitions: nfkc(), settings as variables, calendar, macros."""
    settings = settings or load_settings()
    # DuckDB's progress bar writes to stdout, which is the CLI's; in Jupyter without ipywidgets
    # DuckDB refuses to touch the setting at all, and shows no bar there anyway.
    with contextlib.suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")
    with contextlib.suppress(duckdb.CatalogException):  # already registered on this connection
        con.create_function("nfkc", _nfkc, ["VARCHAR"], "VARCHAR", type="arrow")
    for name, value in (
        ("min_lead_days", settings.min_lead_days),
        ("silence_days", settings.silence_days),
        ("quote_sla_business_days", settings.quote_sla_business_days),
        ("hourly_cost_jpy", settings.hourly_cost_jpy),
        ("urgent_re", settings.urgent_pattern),
        ("negation_re", settings.negation_pattern),
        ("facts_as_of", None),  # no facts evaluated yet under these settings (pipelines.api)
    ):
        con.execute(f"SET VARIABLE {name} = ?", [value])
    if "rules.sql" in sql_files:  # the loader needs no calendar
        calendar = business_day_table(settings)  # noqa: F841 - read by name below
        con.execute("CREATE OR REPLACE TEMP TABLE business_days AS SELECT * FROM calendar")
    for name in sql_files:
        con.execute(sql_text(name))
    return con


def connect(
    db: str | Path | None = None, read_only: bool = True, settings: Settings | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the database (default $OPSDASH_DB or data/ops.duckdb) with every shared definition.

    Read-only connections never block a load. A missing database is created empty first.
    Each connection sees the database as it was when opened: reconnect to see a newer load.
    """
    from pipelines.loader import ensure_database  # the loader owns every write

    path = Path(db) if db is not None else default_db_path()
    ensure_database(path)
    con = _open_snapshot(path) if read_only else duckdb.connect(str(path))
    try:
        return prepare(con, settings)
    except Exception:
        con.close()
        raise


_snapshot_counter = itertools.count()


def _open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the file as it is now, read-only, through a private hard link.

    DuckDB shares one database instance per path within a process, so a plain connect() made while
    another connection to the old file is still open would see the old data after a load's swap.
    A fresh link name gives a fresh instance of the current file; the link is removed at once.
    """
    link = path.with_name(
        f".{path.name}.reader-{os.getpid()}-{threading.get_ident()}-{next(_snapshot_counter)}"
    )
    try:
        os.link(path, link)
    except OSError:
        return duckdb.connect(str(path), read_only=True)
    try:
        return duckdb.connect(str(link), read_only=True)
    finally:
        link.unlink(missing_ok=True)


def database_version(db: str | Path | None = None) -> str:
    """A token that changes whenever a load swaps in a new database file (for caches)."""
    path = Path(db) if db is not None else default_db_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"
