"""The office-state store: one SQLite file beside the database that no load ever touches.

- **Where**: ``office_path(db)`` — ``data/ops.duckdb`` → ``data/ops.office.sqlite`` (its WAL files beside
  it), and the session-signing key ``key_path(db)`` → ``data/ops.office.key``. Loads copy and swap only
  the DuckDB file (``pipelines.store``), whose clean-up removes only ``.<db name>.loading-*`` and
  ``.<db name>.reader-*`` names, so neither file can be replaced or deleted by a load.
- **Concurrency**: WAL mode and a busy timeout, so several dashboard sessions and CLI commands can
  write at once; each write is one short transaction.
- **Schema**: numbered steps ``pipelines/office/migrations/NNNN_name.sql`` recorded in
  ``office_migrations``; adding a table (marks, notify records …) is one new file. A store made by a
  newer program is refused, never changed.
- **Fail closed**: a store that cannot be opened or read raises ``OfficeStoreError`` with a code the
  dashboard words in the reader's language.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 15000


class OfficeStoreError(RuntimeError):
    """The office store (or the signing key) cannot be used; code names the problem for i18n."""

    def __init__(self, code: str, path: Path, detail: str = "") -> None:
        super().__init__(f"{path}: {code}" + (f" ({detail})" if detail else ""))
        self.code = code
        self.path = path
        self.detail = detail


def office_path(db_path: str | Path) -> Path:
    """The office store beside a database: ops.duckdb → ops.office.sqlite (the one place it is named)."""
    db = Path(db_path)
    return db.with_name(f"{db.stem}.office.sqlite")


def key_path(db_path: str | Path) -> Path:
    """The session-signing key beside a database: ops.duckdb → ops.office.key."""
    db = Path(db_path)
    return db.with_name(f"{db.stem}.office.key")


def now_utc() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    """A time as stored: UTC ISO 8601 to the second ('2026-12-06T18:00:00+00:00')."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


@cache
def migrations() -> tuple[tuple[int, str, str], ...]:
    """(version, name, sql) of every step in pipelines/office/migrations, in order."""
    folder = resources.files("pipelines.office").joinpath("migrations")
    steps = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            steps.append((int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    steps.sort()
    if [v for v, _, _ in steps] != list(range(1, len(steps) + 1)):
        raise RuntimeError(
            "pipelines/office/migrations must be numbered 0001, 0002, … without gaps"
        )
    return tuple(steps)


@cache
def statements() -> dict[str, str]:
    """The named statements of pipelines/office/office.sql ('-- name: NAME' headings)."""
    text = resources.files("pipelines.office").joinpath("office.sql").read_text(encoding="utf-8")
    chunks = re.split(r"^-- name: (\w+)\n", text, flags=re.M)
    return {chunks[i]: chunks[i + 1].strip() for i in range(1, len(chunks), 2)}


def _migrate(con: sqlite3.Connection, path: Path) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS office_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = con.execute("SELECT coalesce(max(version), 0) FROM office_migrations").fetchone()[0]
    steps = migrations()
    if current > steps[-1][0]:
        raise OfficeStoreError("too_new", path, f"version {current}")
    if current == steps[-1][0]:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        current = con.execute("SELECT coalesce(max(version), 0) FROM office_migrations").fetchone()[
            0
        ]
        for version, name, sql in steps:
            if version > current:
                for statement in _split(sql):
                    con.execute(statement)
                con.execute(
                    "INSERT INTO office_migrations VALUES (?, ?, ?)",
                    (version, name, stamp(now_utc())),
                )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _split(sql: str) -> list[str]:
    """A migration's statements (sqlite3 runs one at a time; triggers keep their inner ';')."""
    parts: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            parts.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        parts.append(buffer.strip())
    return parts


def open_store(db_path: str | Path) -> sqlite3.Connection:
    """Open (creating on first use) and upgrade the office store beside db_path; fail closed.

    Several processes opening a new store at once can meet SQLite's "database is locked" while one of
    them switches it to WAL (the busy handler does not cover that): each waits and tries again, up to
    the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return _open_store(db_path)
        except OfficeStoreError as exc:
            if "locked" not in exc.detail or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _open_store(db_path: str | Path) -> sqlite3.Connection:
    path = office_path(db_path)
    if path.exists() and not path.is_file():
        raise OfficeStoreError("not_a_file", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise OfficeStoreError("unreadable", path, str(exc)) from None
    try:
        con.row_factory = sqlite3.Row
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA synchronous = FULL")
        _migrate(con, path)
        return con
    except OfficeStoreError:
        con.close()
        raise
    except sqlite3.DatabaseError as exc:
        con.close()
        code = (
            "corrupt" if "not a database" in str(exc) or "malformed" in str(exc) else "unreadable"
        )
        raise OfficeStoreError(code, path, str(exc)) from None
    except OSError as exc:
        con.close()
        raise OfficeStoreError("unreadable", path, str(exc)) from None


@contextmanager
def office(db_path: str | Path, write: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection to the office store for one unit of work; write=True runs it in one transaction."""
    con = open_store(db_path)
    try:
        if write:
            con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            if write:
                con.execute("COMMIT")
        except BaseException:
            if write:
                con.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise OfficeStoreError("unreadable", office_path(db_path), str(exc)) from None
    finally:
        con.close()


def run(con: sqlite3.Connection, name: str, params: dict[str, Any] | tuple = ()) -> sqlite3.Cursor:
    """Run one named statement of office.sql with its parameters."""
    return con.execute(statements()[name], params)
