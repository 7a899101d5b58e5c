"""The database file: where it is, who may write it, how it changes, and which version of it you read.

- **Path**: ``default_db_path()`` is ``$OPSDASH_DB`` or ``data/ops.duckdb`` in the project folder, so a
  notebook whose working folder is ``notebooks/`` opens the same file as the CLI.
- **Readers never create or write a database.** ``connect()`` on a missing path raises
  ``DatabaseMissing`` naming the path; every CLI command but ``load`` turns that into exit code 2.
- **Writes** (loads, upgrades) take the load lock (``<db>.lock``), copy the file to
  ``.<name>.loading-<pid>``, apply the change to the copy, checkpoint and fsync it, and ``os.replace``
  it over the database. Readers never wait: a connection opened before the swap keeps reading the old
  file, one opened after it reads the new one. A killed or failed write leaves only a stray copy
  (removed by the next write); the database itself is untouched.
- **Schema versions**: the table ``schema_migrations`` records each applied step of
  ``pipelines/sql/migrations/NNNN_name.sql``. A database made before versions were recorded (version 1)
  is recognised by its tables. An older database is upgraded the first time it is opened, by the same
  copy → apply → rename as a load, keeping every row; a newer one is refused (``DatabaseTooNew``).
- **Versions of the file** (``database_version``) change with every swap, so caches keyed by them
  never serve figures from a replaced file.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

from pipelines.definitions import READER_SQL, prepare
from pipelines.derived import refresh_derived
from pipelines.message_facts import stale_readings
from pipelines.settings import Settings, load_settings
from pipelines.vocabulary import EVENT_KIND_ALIASES

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "ops.duckdb"
LOCK_WAIT_SECONDS = 120.0
# DuckDB's buffer pool on a write connection. Its default (80 % of RAM) let a million-row load hold
# every staged text column at once (2.1 GiB); with 1 GB it spills the rare excess and is no slower
# (benchmarks/README.md, figure 3).
WRITE_MEMORY_LIMIT = "1GB"


class DatabaseMissing(FileNotFoundError):
    """A reader was pointed at a database file that does not exist (it never creates one)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: no database here. Load exports first (python -m pipelines load FILE… "
            f"--db {path}) or check the path."
        )
        self.path = path


class DatabaseTooNew(RuntimeError):
    """The database was made by a newer version of this program; it is left untouched."""


class NotADatabase(RuntimeError):
    """The path exists but is not a database this program can open."""


class LoadBusy(RuntimeError):
    """Another load holds the database's load lock."""


def default_db_path() -> Path:
    """The database path: $OPSDASH_DB, else data/ops.duckdb in the project folder."""
    env = os.environ.get("OPSDASH_DB")
    return Path(env) if env else DEFAULT_DB


# ----------------------------------------------------------------------------------- migrations


@cache
def migrations() -> tuple[tuple[int, str, str], ...]:
    """(version, name, sql) of every schema step in pipelines/sql/migrations, in order."""
    folder = resources.files("pipelines").joinpath("sql", "migrations")
    steps = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            steps.append((int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    steps.sort()
    if [v for v, _, _ in steps] != list(range(1, len(steps) + 1)):
        raise RuntimeError("pipelines/sql/migrations must be numbered 0001, 0002, … without gaps")
    return tuple(steps)


def latest_version() -> int:
    """The schema version this program writes."""
    return migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open database: 0 when empty, 1 for files made before versions."""
    tables = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main'"
        ).fetchall()
    }
    if "schema_migrations" in tables:
        return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    return 1 if "inquiries" in tables else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every schema step the database lacks, in order; returns the number applied."""
    current = schema_version(con)
    if current > latest_version():
        raise DatabaseTooNew(
            f"schema version {current}, newer than this program's {latest_version()}"
        )
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = 0
    for version, name, sql in migrations():
        if version == 1 and current == 1:
            # made before versions were recorded: step 1 is already in the file
            con.execute(
                "INSERT OR IGNORE INTO schema_migrations VALUES (1, ?, current_localtimestamp())",
                [name],
            )
            continue
        if version <= current:
            continue
        con.execute(sql)
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, current_localtimestamp())", [version, name]
        )
        applied += 1
    # The accepted spellings of event kinds come from the vocabulary on every write.
    con.execute("DELETE FROM event_kinds")
    con.executemany(
        "INSERT INTO event_kinds VALUES (?, ?)",
        sorted((spelling, kind) for spelling, kind in _event_kind_spellings().items()),
    )
    return applied


def _event_kind_spellings() -> dict[str, str]:
    from pipelines.columns import normalize_key

    return {
        normalize_key(spelling): kind
        for kind, spellings in EVENT_KIND_ALIASES.items()
        for spelling in (kind, *spellings)
    }


# ------------------------------------------------------------------------------------ writing


def _lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


@contextmanager
def write_lock(db: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the database's load lock; wait up to wait_seconds, then raise LoadBusy."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with _lock_path(db).open("a+") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LoadBusy(
                        f"{db}: another load is running and did not finish within {wait_seconds:.0f} s; "
                        "try again when it is done"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_stale_copies(db: Path) -> None:
    for stale in db.parent.glob(f".{db.name}.loading-*"):
        stale.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rewrite(
    db: Path, work: Callable[[duckdb.DuckDBPyConnection], bool], settings: Settings | None = None
) -> bool:
    """Apply work to an upgraded copy of db and swap it in when work returns True (or db is new).

    The caller holds write_lock(db). Returns whether the database file was replaced.
    """
    settings = settings or load_settings()
    _remove_stale_copies(db)
    copy = db.with_name(f".{db.name}.loading-{os.getpid()}")
    try:
        if db.exists():
            shutil.copyfile(db, copy)
        con = _open_file(copy, read_only=False, config={"memory_limit": WRITE_MEMORY_LIMIT})
        try:
            # parsing macros first (migrations may use them), then the steps, then the macros that
            # read the tables
            prepare(con, settings, sql_files=("parse.sql",))
            upgraded = migrate(con) > 0
            prepare(con, settings, sql_files=READER_SQL)
            changed = work(con)
            changed = refresh_derived(con, settings) or changed
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if db.exists() and not (changed or upgraded):
            return False
        with copy.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(copy, db)
        _fsync_dir(db.parent)
        return True
    finally:
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)


def upgrade(
    db: Path, settings: Settings | None = None, wait_seconds: float = LOCK_WAIT_SECONDS
) -> bool:
    """Bring a database to this program's schema and message readings (all or nothing); True when it did."""
    with write_lock(db, wait_seconds):
        if not db.exists():
            raise DatabaseMissing(db)
        return rewrite(db, lambda con: False, settings)


# ------------------------------------------------------------------------------------ reading

_snapshot_counter = itertools.count()


def _open_file(
    path: Path, read_only: bool, config: dict[str, str] | None = None
) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config or {})
    except duckdb.IOException as exc:
        text = str(exc)
        if "Could not set lock" in text or "Conflicting lock" in text:
            raise
        raise NotADatabase(
            f"{path}: not a database this program can open ({text.splitlines()[0]})"
        ) from None
    except duckdb.Error as exc:
        raise NotADatabase(f"{path}: not a database this program can open ({exc})") from None


def open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
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
        return _open_file(path, read_only=True)
    try:
        return _open_file(link, read_only=True)
    finally:
        link.unlink(missing_ok=True)


def connect(
    db: str | Path | None = None, settings: Settings | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the database read-only (default $OPSDASH_DB or data/ops.duckdb) with every shared definition.

    Never blocks a load and never creates a database: a missing path raises DatabaseMissing.
    An older database is upgraded first (see the module docstring); a newer one raises DatabaseTooNew.
    Each connection sees the database as it was when opened: reconnect to see a newer load.
    """
    path = Path(db) if db is not None else default_db_path()
    settings = settings or load_settings()
    if not path.exists():
        raise DatabaseMissing(path)
    if path.is_dir():
        raise NotADatabase(f"{path}: is a folder, not a database file")
    con = open_snapshot(path)
    try:
        version = schema_version(con)
        if version > latest_version():
            raise DatabaseTooNew(
                f"{path}: made by a newer version of this program (schema version {version}; "
                f"this program knows up to {latest_version()}). Update the program; the "
                "database was not changed."
            )
        if version < latest_version() or stale_readings(con, settings):
            con.close()
            upgrade(path, settings)
            con = open_snapshot(path)
        prepare(con, settings)
        # the office store beside it holds the not-an-inquiry marks (pipelines.office.marks)
        con.execute("SET VARIABLE office_db = ?", [str(path)])
        from pipelines.office.marks import load_marks

        load_marks(con)  # its tables and their version now, so that reading changes nothing
        return con
    except BaseException:
        con.close()
        raise


def exists(db: str | Path | None = None) -> bool:
    """Whether a database file is there to read."""
    return (Path(db) if db is not None else default_db_path()).is_file()


def database_version(db: str | Path | None = None) -> str:
    """A token that changes whenever a load swaps in a new database file (for caches)."""
    path = Path(db) if db is not None else default_db_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"
