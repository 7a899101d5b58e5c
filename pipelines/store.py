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
  is recognised by its tables. An older database is upgraded the first time it is opened
  (``pipelines.build.connect``), by the same copy → apply → rename as a load, keeping every row; a
  newer one is refused (``DatabaseTooNew``). A new database starts as a copy of an empty one that
  the steps were applied to once in this process. Derived tables and message readings are not this
  module's: ``pipelines.build`` adds them to every rewrite.
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

from pipelines import interrupts
from pipelines.coded import coded
from pipelines.definitions import READER_SQL, prepare, run_sql_file, sql_text
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
        coded(self, "db_missing", path=str(path))


class DatabaseTooNew(RuntimeError):
    """The database was made by a newer version of this program; it is left untouched."""


class NotADatabase(RuntimeError):
    """The path exists but is not a database this program can open."""


class DatabaseReadOnly(PermissionError):
    """The database file, or its folder, is read-only: a write is refused, never worked around."""


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
        raise coded(
            DatabaseTooNew(
                f"schema version {current}, newer than this program's {latest_version()}"
            ),
            "db_too_new_schema",
            version=current,
            known=latest_version(),
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
    spellings = sorted(_event_kind_spellings().items())
    con.execute("DELETE FROM event_kinds")
    con.execute(  # one statement, not one per row (executemany took 15 ms)
        "INSERT INTO event_kinds SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
        [[spelling for spelling, _ in spellings], [kind for _, kind in spellings]],
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


def _read_only(path: Path) -> bool:
    """Whether path may not be written: no permission, or no write bit at all (even for root)."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def write_target(db: str | Path) -> Path:
    """The file a write to db changes: a symlink is followed (the link stays a link).

    Raises DatabaseReadOnly, naming the path as given, when the file or its folder is read-only: a
    write never replaces a read-only database with a writable one.
    """
    given = Path(db)
    target = Path(os.path.realpath(given))
    if target.is_file() and _read_only(target):
        raise coded(
            DatabaseReadOnly(
                f"{given}: the database file is read-only; make it writable (chmod u+w) or load "
                "into another --db. The database was not changed."
            ),
            "db_read_only",
            path=str(given),
        )
    folder = target.parent
    if folder.is_dir() and _read_only(folder):
        raise coded(
            DatabaseReadOnly(
                f"{given}: the folder {folder} is read-only, and a load writes its new database "
                "beside the old one; make the folder writable or load into another --db. The "
                "database was not changed."
            ),
            "db_folder_read_only",
            path=str(given),
            folder=str(folder),
        )
    return target


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
                    raise coded(
                        LoadBusy(
                            f"{db}: another load is running and did not finish within "
                            f"{wait_seconds:.0f} s; try again when it is done"
                        ),
                        "load_busy",
                        path=str(db),
                        seconds=round(wait_seconds),
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


def _swap_in(copy: Path, db: Path) -> None:
    """Make the finished copy durable and rename it over db; Ctrl-C/SIGTERM wait for the rename."""
    with copy.open("rb+") as fh:
        os.fsync(fh.fileno())
    with interrupts.swapping():
        os.replace(copy, db)
        interrupts.checkpoint("swapped")
    _fsync_dir(db.parent)
    interrupts.checkpoint("after_swap")


def _prepare_and_migrate(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """Give a write connection every definition and apply the schema steps it lacks; True if any.

    prepare() once, with the parsing macros only (migrations may use them); the files of macros that
    read the tables are run after the steps (a second prepare() would redo everything else).
    """
    prepare(con, settings, sql_files=READER_SQL[:1], calendar=False)  # a write reads no calendar
    upgraded = migrate(con) > 0
    run_sql_file(con, "summaries.sql")  # parsed once per process, not on every write
    for statement in _write_rules(con):
        con.execute(statement)
    return upgraded


# What a write needs of rules.sql: the rules' base that pipelines.derived stores and the macro it
# calls. The file's other macros only read (defining them all cost ~15 ms of a one-row load).
WRITE_RULES = ("is_blank", "inquiry_base_rows")
_write_statements: list[duckdb.Statement] = []  # those of rules.sql, parsed once per process


def _write_rules(con: duckdb.DuckDBPyConnection) -> list[duckdb.Statement]:
    """The statements of rules.sql that define WRITE_RULES."""
    if not _write_statements:
        wanted = re.compile(rf"CREATE OR REPLACE TEMP MACRO ({'|'.join(WRITE_RULES)})\b")
        statements = con.extract_statements(sql_text("rules.sql"))
        _write_statements.extend(s for s in statements if wanted.search(s.query))
        if len(_write_statements) != len(WRITE_RULES):
            raise RuntimeError(f"rules.sql must define each of {WRITE_RULES} once")
    return _write_statements


_new_database: list[bytes] = []  # an empty database with every step applied, made once per process


def _start_new_database(copy: Path, settings: Settings) -> None:
    """Write an empty database with every schema step applied at copy.

    The steps are applied once per process, to an empty file whose bytes are kept: each later new
    database is a copy of them (migrating a new file costs ~75 ms, a copy ~1 ms; tests make hundreds).
    """
    if not _new_database:
        con = _open_file(copy, read_only=False, config={"memory_limit": WRITE_MEMORY_LIMIT})
        try:
            prepare(
                con, settings, sql_files=READER_SQL[:1], calendar=False
            )  # migrations use macros
            migrate(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
        _new_database.append(copy.read_bytes())
    else:
        copy.write_bytes(_new_database[0])


def rewrite(
    db: Path, work: Callable[[duckdb.DuckDBPyConnection], bool], settings: Settings | None = None
) -> bool:
    """Apply work to an upgraded copy of db and swap it in when work returns True (or db is new).

    The caller holds write_lock(db). Returns whether the database file was replaced. Derived tables
    are work too: pipelines.build.rewrite adds them (this module knows only the file).
    """
    settings = settings or load_settings()
    db = write_target(db)
    _remove_stale_copies(db)
    copy = db.with_name(f".{db.name}.loading-{os.getpid()}")
    try:
        if db.exists():
            shutil.copyfile(db, copy)
        else:
            _start_new_database(copy, settings)
        interrupts.checkpoint("copied")
        con = _open_file(copy, read_only=False, config={"memory_limit": WRITE_MEMORY_LIMIT})
        try:
            upgraded = _prepare_and_migrate(con, settings)
            changed = work(con)
            interrupts.checkpoint("applied")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if db.exists() and not (changed or upgraded):
            return False
        _swap_in(copy, db)
        return True
    finally:
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)


# ------------------------------------------------------------------------------------ reading

_snapshot_counter = itertools.count()


def _open_file(
    path: Path, read_only: bool, config: dict[str, str] | None = None, shown: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Connect to path; a failure names `shown` (the user's path), never a private link's name."""
    shown = shown or path
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config or {})
    except duckdb.IOException as exc:
        text = str(exc)
        if "Could not set lock" in text or "Conflicting lock" in text:
            raise
        first = text.splitlines()[0].replace(str(path), str(shown)) if text else "I/O error"
        raise _not_a_database(shown, first) from None
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0].replace(str(path), str(shown)) if str(exc) else ""
        raise _not_a_database(shown, first) from None


def _not_a_database(shown: Path, detail: str) -> NotADatabase:
    return coded(
        NotADatabase(f"{shown}: not a database this program can open ({detail})"),
        "not_a_database",
        path=str(shown),
        detail=detail,
    )


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
        return _open_file(link, read_only=True, shown=path)
    finally:
        link.unlink(missing_ok=True)


def open_current(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the file read-only as it is now (open_snapshot), refusing a missing path, a folder and a
    newer schema; an older schema is the caller's to upgrade (pipelines.build.connect)."""
    if not path.exists():
        raise DatabaseMissing(path)
    if path.is_dir():
        raise coded(
            NotADatabase(f"{path}: is a folder, not a database file"),
            "db_is_folder",
            path=str(path),
        )
    con = open_snapshot(path)
    try:
        version = schema_version(con)
        if version > latest_version():
            raise coded(
                DatabaseTooNew(
                    f"{path}: made by a newer version of this program (schema version {version}; "
                    f"this program knows up to {latest_version()}). Update the program; the "
                    "database was not changed."
                ),
                "db_too_new",
                path=str(path),
                version=version,
                known=latest_version(),
            )
    except BaseException:
        con.close()
        raise
    return con


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
