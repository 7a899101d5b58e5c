"""Prepared in-memory databases for tests, handed back and reused (tests/conftest.py memory_db).

A fresh in-memory database with every table, macro and the business-day calendar costs ~0.1 s of CPU
(a DuckDB instance, the schema copy, ``definitions.prepare``); a rule test needs one for a few rows.
The pool keeps such databases, each one its own DuckDB instance, and lends one per ``take()``. The
borrower keeps it as long as it holds it: ``close()`` (or dropping every reference) hands it back.
A database handed back is emptied to exactly the state it was prepared in (rows, variables, temp
views, calendars, settings) and checked against that state; anything else found on it (a table, a
macro, a changed DuckDB setting, a changed reference row) and it is closed for good instead.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from pipelines import store
from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES
from pipelines.definitions import prepare
from pipelines.settings import Settings, load_settings

# What a database holds, one row per thing: (kind, name, number). Rows are counted in the tables
# that start empty ({counted}) and hashed in those that do not ({hashed}: migrations' reference
# rows; the calendar of the prepared settings, thousands of rows, by its size); the calendars of other settings are counted.
# One UNION ALL (as scalar subqueries of one SELECT it planned in ~25 ms).
INSPECT = """
SELECT 'rows' AS kind, CAST(i AS VARCHAR) AS name, n FROM ({counted}) WHERE n > 0
UNION ALL SELECT 'kept', CAST(i AS VARCHAR), n FROM ({hashed})
UNION ALL SELECT 'table', database_name || '.' || schema_name || '.' || table_name, NULL
          FROM duckdb_tables()
UNION ALL SELECT 'view', database_name || '.' || view_name, NULL FROM duckdb_views()
          WHERE NOT internal
UNION ALL SELECT 'sequence', sequence_name, NULL FROM duckdb_sequences()
UNION ALL SELECT 'index', index_name, NULL FROM duckdb_indexes()
UNION ALL SELECT 'type', type_name, NULL FROM duckdb_types() WHERE NOT internal
UNION ALL SELECT 'variable', name, hash(CAST(value AS VARCHAR)) FROM duckdb_variables()
UNION ALL SELECT 'calendars', NULL, count(*) FROM business_days WHERE calendar IS DISTINCT FROM $calendar
"""
# variables the reset sets again (to the prepared settings; no database key)
RESET = ("settings_json", "database_key")


@functools.cache
def schema_template() -> Path:
    """A database file with every migration applied and no rows, made once per test process; each
    database of the pool copies its tables."""
    folder = Path(tempfile.mkdtemp(prefix="opsdash-schema-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "schema.duckdb"
    con = duckdb.connect(str(path))
    try:
        prepare(con, load_settings(), sql_files=("parse.sql",))  # migrations may use its macros
        store.migrate(con)
    finally:
        con.close()
    return path


class PooledConnection(duckdb.DuckDBPyConnection):
    """A connection of the pool: close() hands it back instead of closing it."""

    __slots__ = ()

    def close(self) -> None:
        """Hand the database back to the pool (a second close does nothing)."""
        MEMORY_DBS.give_back(self)

    def __exit__(self, *exc: object) -> None:
        self.close()


class Pool:
    """Prepared in-memory databases, lent one at a time and reset when handed back."""

    def __init__(self) -> None:
        self._free: list[PooledConnection] = []
        self._lent: list[PooledConnection] = []
        self._prepared: dict[int, _Prepared] = {}
        self.made = 0  # databases made (tests of the pool)
        self.dropped = 0  # databases closed for good because a reset could not restore them

    def take(self, settings: Settings | None = None) -> tuple[PooledConnection, bool]:
        """A prepared database with no rows, lent to the caller; and whether it was prepared with
        exactly these settings (else the caller prepares it with its own)."""
        self._reclaim()
        con = self._free.pop() if self._free else self._new()
        self._lent.append(con)
        prepared = self._prepared[id(con)]
        return con, settings is not None and settings.to_json() == prepared.settings_json

    def give_back(self, con: PooledConnection) -> None:
        """Take a lent database back: reset for the next borrower, or closed when it cannot be."""
        for i, lent in enumerate(self._lent):
            if lent is con:
                del self._lent[i]
                break
        else:
            return  # not lent (handed back before)
        if self._reset(con):
            self._free.append(con)
        else:
            self._drop(con)

    def _reclaim(self) -> None:
        """Take back the lent databases nobody refers to any more (their tests are over)."""
        for i in range(len(self._lent) - 1, -1, -1):
            if sys.getrefcount(self._lent[i]) <= 2:  # the list's reference and the argument's
                self.give_back(self._lent[i])

    def _new(self) -> PooledConnection:
        con = duckdb.connect()
        con.execute("ATTACH ? AS schema_template (READ_ONLY)", [str(schema_template())])
        con.execute("COPY FROM DATABASE schema_template TO memory")
        con.execute("DETACH schema_template")
        prepare(
            con, load_settings()
        )  # once: the tables are there, so every macro and view can be made
        con.__class__ = PooledConnection
        self._prepared[id(con)] = _Prepared(con)
        self.made += 1
        return con

    def _reset(self, con: PooledConnection) -> bool:
        """Bring a database back to its prepared state; False when that cannot be done or checked."""
        prepared = self._prepared[id(con)]
        try:
            con.abort()  # the rest of a result left unread
            with contextlib.suppress(duckdb.TransactionException):  # a transaction left open
                con.execute("ROLLBACK")
            return prepared.empty(con)
        except duckdb.Error:
            return False

    def _drop(self, con: PooledConnection) -> None:
        self._prepared.pop(id(con), None)
        self.dropped += 1
        duckdb.DuckDBPyConnection.close(con)


class _Prepared:
    """What a database of the pool holds right after it was prepared, and how to get back to it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        [(self.settings_json, self.calendar)] = con.execute(
            "SELECT getvariable('settings_json'), any_value(calendar) FROM business_days"
        ).fetchall()
        tables = [
            f'{db}.main."{name}"'
            for db, name in con.execute(
                "SELECT database_name, table_name FROM duckdb_tables() WHERE schema_name = 'main'"
            ).fetchall()
        ]
        counts = [n for _, n in sorted(con.execute(_union_of("count(*)", tables)).fetchall())]
        self.emptied = [t for t, n in zip(tables, counts, strict=True) if not n]
        kept = [t for t, n in zip(tables, counts, strict=True) if n]
        self.inspect = INSPECT.format(
            counted=_union_of("count(*)", self.emptied),
            hashed=_union_of(
                "coalesce(sum(hash(t)), 0)",
                kept,
                "business_days",
                "count(*) FILTER (WHERE calendar IS NOT DISTINCT FROM $calendar)",
            ),
        )
        self.state = self._state(con)[0]

    def _state(self, con: duckdb.DuckDBPyConnection) -> tuple[set, list]:
        """What the database holds (but the rows of emptied tables, the calendars of other
        settings and the values of the variables set again), and those."""
        state, extra = set(), []
        for kind, name, n in con.execute(self.inspect, {"calendar": self.calendar}).fetchall():
            if kind in ("rows", "calendars"):
                extra.append((kind, name, n))
            elif kind == "variable" and name in RESET:
                state.add((kind, name, None))
            else:
                state.add((kind, name, n))
        return state, extra

    def empty(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Delete what a borrower added (rows, calendars, temp views and tables, registrations,
        variables); False (nothing done) when it holds anything else: a table, a view, a sequence,
        an index or a type of its own, a changed variable or reference row."""
        state, extra = self._state(con)
        added = state - self.state
        if self.state - state or any(
            kind not in ("view", "table", "variable") or name.startswith("memory.")
            for kind, name, _ in added
        ):
            return False
        statements = [
            f"DELETE FROM {self.emptied[int(name)]}"
            for kind, name, n in extra
            if n and kind == "rows"
        ]
        names = {(kind, name) for kind, name, _ in self.state}
        for kind, name, _ in added:
            if (kind, name) in names:  # a variable of the prepared state with another value
                return False
            if kind == "view":
                con.unregister(name.split(".", 1)[1])  # a registered object (else a view of SQL)
                statements.append(f'DROP VIEW IF EXISTS temp.main."{name.split(".", 1)[1]}"')
            elif kind == "table":  # the API's temp tables (list_entries')
                statements.append(f'DROP TABLE IF EXISTS temp.main."{name.rsplit(".", 1)[1]}"')
            else:
                statements.append(f'RESET VARIABLE "{name}"')
        if statements:
            con.execute("; ".join(statements))
        if any(n for kind, _, n in extra if kind == "calendars"):
            con.execute(
                "DELETE FROM business_days WHERE calendar IS DISTINCT FROM ?", [self.calendar]
            )
        con.execute("SET VARIABLE settings_json = ?", [self.settings_json])
        con.execute("SET VARIABLE database_key = NULL::VARCHAR")
        return True


def _union_of(
    aggregate: str, tables: list[str], counted_only: str = "", count: str = "count(*)"
) -> str:
    """One statement: (position, aggregate) of each table, in order; tables whose name holds
    counted_only (when given) give count instead."""
    return (
        " UNION ALL ".join(
            f"SELECT {i} AS i, "
            f"{count if counted_only and counted_only in t else aggregate} AS n FROM {t} AS t"
            for i, t in enumerate(tables)
        )
        or "SELECT 0 AS i, 0 AS n WHERE false"
    )


MEMORY_DBS = Pool()  # the process's pool (each test process has its own)

INSERT_INQUIRIES = """
INSERT INTO inquiries BY NAME
SELECT inquiry_id, CAST(received_at AS TIMESTAMP) AS received_at, customer_name,
       customer_address, customer_email, target_phone,
       CAST(requested_for AS TIMESTAMP) AS requested_for, service, message,
       {message_norm} AS message_norm, channel, {contact_norm} AS contact_norm,
       coalesce(CAST(staff_minutes AS INTEGER), 0) AS staff_minutes,
       0 AS load_id, 'rows' AS source_file, row_number() OVER () AS source_line
FROM {rows}
"""
INSERT_EVENTS = """
INSERT INTO events BY NAME
SELECT inquiry_id, CAST(event_at AS TIMESTAMP) AS event_at, event,
       CAST(amount_jpy AS BIGINT) AS amount_jpy, staff,
       coalesce(CAST(staff_minutes AS INTEGER), 0) AS staff_minutes, note,
       CAST(row_number() OVER () AS HUGEINT) AS event_key,
       0 AS load_id, 'rows' AS source_file, row_number() OVER () AS source_line
FROM {rows}
"""
MESSAGE_NORM = "match_fold(message)"
CONTACT_NORM = "contact_fold(inquiry_id, customer_name, target_phone, customer_email)"
# parse.sql's folds of the texts seen so far, by the macro's SQL and its inputs. The macros plan
# in ~5 ms (message) and ~17 ms (contact) for their patterns and give the same text for the same
# input; most tests repeat inquiry()'s defaults, and the rule tests vary the message or the ID.
FOLDS = {
    MESSAGE_NORM: ("message",),
    CONTACT_NORM: ("inquiry_id", "customer_name", "target_phone", "customer_email"),
}
_FOLDED: dict[str, dict[tuple[str | None, ...], str | None]] = {sql: {} for sql in FOLDS}


def insert_rows(con: duckdb.DuckDBPyConnection, inquiries: list[dict], events: list[dict]) -> None:
    """Insert inquiry and event rows (dicts of text values, as tests/conftest.py makes them) with
    what a load stores beside them (folded texts, load 0, source lines)."""
    if inquiries:
        texts = _text_columns(inquiries, INQUIRY_COLUMNS)
        if texts is None:
            _insert_frame(con, INQUIRY_SQL, inquiries, INQUIRY_COLUMNS)
        else:
            by_name = dict(zip(INQUIRY_COLUMNS, texts, strict=True))
            for sql, inputs in FOLDS.items():
                texts.append(_folds(con, sql, inputs, [by_name[c] for c in inputs]))
            sql = INSERT_INQUIRIES.format(
                message_norm="message_norm", contact_norm="contact_norm", rows="{rows}"
            )
            _insert_lists(con, sql, texts, [*INQUIRY_COLUMNS, "message_norm", "contact_norm"])
    if events:
        texts = _text_columns(events, EVENT_COLUMNS)
        if texts is None:
            _insert_frame(con, INSERT_EVENTS, events, EVENT_COLUMNS)
        else:
            _insert_lists(con, INSERT_EVENTS, texts, EVENT_COLUMNS)


INQUIRY_COLUMNS = list(INQUIRY_ALIASES)  # the canonical columns, in order
EVENT_COLUMNS = list(EVENT_ALIASES)
INQUIRY_SQL = INSERT_INQUIRIES.format(
    message_norm=MESSAGE_NORM, contact_norm=CONTACT_NORM, rows="{rows}"
)


def _folds(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    inputs: tuple[str, ...],
    columns: list[list[str | None]],
) -> list[str | None]:
    """The fold (sql, a macro of the columns named inputs) of each row, computed on this
    connection for the rows not seen before."""
    known = _FOLDED[sql]
    keys = list(zip(*columns, strict=True))
    new = list(dict.fromkeys(k for k in keys if k not in known))
    if new:
        unnested = ", ".join(f"unnest(CAST(? AS VARCHAR[])) AS {c}" for c in inputs)
        found = con.execute(
            f"SELECT {sql} FROM (SELECT {unnested}, unnest(range(?)) AS n) ORDER BY n",
            [*map(list, zip(*new, strict=True)), len(new)],
        ).fetchall()
        known.update(zip(new, (f for (f,) in found), strict=True))
    return [known[k] for k in keys]


def _text_columns(rows: list[dict], columns: list[str]) -> list[list[str | None]] | None:
    """The rows' values column by column as text (None for a missing or None value), or None when
    a value is neither text nor a whole number (those rows go through pandas, as they always did)."""
    out = []
    for c in columns:
        values = [row.get(c) for row in rows]
        if any(v is not None and type(v) not in (str, int) for v in values):
            return None
        out.append([None if v is None else str(v) for v in values])
    return out


def _insert_lists(
    con: duckdb.DuckDBPyConnection, sql: str, values: list[list[str | None]], columns: list[str]
) -> None:
    """Run sql on the rows given as one text list per column (its relation `{rows}`)."""
    unnested = ", ".join(f"unnest(CAST(? AS VARCHAR[])) AS {c}" for c in columns)
    con.execute(sql.format(rows=f"(SELECT {unnested})"), values)


def _insert_frame(
    con: duckdb.DuckDBPyConnection, sql: str, rows: list[dict], columns: list[str]
) -> None:
    """Run sql on rows of other values (timestamps, NaN…) as a pandas frame (its relation `{rows}`)."""
    import pandas as pd

    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows])
    frame = frame.astype(object).where(frame.notna(), None)
    con.register("memory_rows", frame)
    try:
        con.execute(sql.format(rows="memory_rows"))
    finally:
        con.unregister("memory_rows")
