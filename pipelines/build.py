"""The build step: derived tables and message readings, made inside the store's copy → swap.

``pipelines.store`` knows the file (path, lock, copy, swap, schema migrations) and nothing of what
is derived from the rows; this module adds the derived tables and the readings (``pipelines.derived``,
``pipelines.message_facts``) to every write, and opens read connections that are current:

- ``rewrite`` = the store's rewrite with the build after the work (loads call it);
- ``upgrade`` = a rewrite that only migrates and builds (an older database, or readings made with
  other words or another reader version);
- ``connect`` opens the database read-only; when it is older or its readings are stale it asks for
  ``upgrade`` — the same locked copy → swap as a load — and opens the result. The read connection
  itself never writes; under the lock the upgrade finds nothing left to do when another process
  did it first, so it happens once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines import store
from pipelines.definitions import READER_SQL, RULES_SQL, prepare
from pipelines.derived import refresh_derived
from pipelines.message_facts import stale_readings
from pipelines.settings import Settings, load_settings


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """Bring derived tables and message readings up to date (write connection); True when changed."""
    return refresh_derived(con, settings)


def rewrite(
    db: Path, work: Callable[[duckdb.DuckDBPyConnection], bool], settings: Settings | None = None
) -> bool:
    """The store's copy → work → swap with the build after the work; True when the file was replaced.

    The caller holds store.write_lock(db).
    """
    settings = settings or load_settings()

    def work_then_build(con: duckdb.DuckDBPyConnection) -> bool:
        changed = work(con)
        return build(con, settings) or changed

    return store.rewrite(db, work_then_build, settings)


def upgrade(
    db: Path, settings: Settings | None = None, wait_seconds: float = store.LOCK_WAIT_SECONDS
) -> bool:
    """Bring a database to this program's schema and message readings (all or nothing); True when it did."""
    if not db.exists():
        raise store.DatabaseMissing(db)
    target = store.write_target(db)
    with store.write_lock(target, wait_seconds):
        if not target.exists():
            raise store.DatabaseMissing(db)
        return rewrite(target, lambda con: False, settings)


def connect(
    db: str | Path | None = None,
    settings: Settings | None = None,
    sql_files: tuple[str, ...] = READER_SQL,
) -> duckdb.DuckDBPyConnection:
    """Open the database read-only (default $OPSDASH_DB or data/ops.duckdb) with every shared definition.

    sql_files: the definitions' files to run (default all a reader uses); `report` asks for RULES_SQL
    only, without parse.sql's text cleaning and its nfkc(), which no rule or metric reads.

    Never blocks a load and never creates a database: a missing path raises DatabaseMissing.
    An older database, or one whose readings were made with other words, is upgraded first (see the
    module docstring); a newer one raises DatabaseTooNew. Each connection sees the database as it
    was when opened: reconnect to see a newer load.
    """
    path = Path(db) if db is not None else store.default_db_path()
    settings = settings or load_settings()
    con = store.open_current(path)
    try:
        if store.schema_version(con) < store.latest_version() or stale_readings(con, settings):
            con.close()
            upgrade(path, settings)
            con = store.open_current(path)
        prepare(con, settings, sql_files)
        # the office store beside it holds the not-an-inquiry marks (pipelines.office.marks)
        con.execute("SET VARIABLE office_db = ?", [str(path)])
        from pipelines.office.marks import load_marks

        load_marks(con)  # its tables and their version now, so that reading changes nothing
        return con
    except BaseException:
        con.close()
        raise


__all__ = ["RULES_SQL", "build", "connect", "rewrite", "stale_readings", "upgrade"]
