"""The rules evaluated as of a day: relations of inquiry_facts that the API's questions read, and the
process-wide cache of the facts a day's many questions share (FACTS).

A read-only connection's data never changes, so a day's facts under some settings are built once and
shared by every cursor (every dashboard session); a read-write connection always reads a view (always
current). See evaluated() for when a view is read and when the facts are stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipelines.definitions import connection_settings, ensure_calendar
from pipelines.office.marks import load_marks
from pipelines.settings import Settings
from pipelines.vocabulary import TIME_ZONE

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

JAPAN = ZoneInfo(TIME_ZONE)
# facts (database × as-of × settings) the process keeps before dropping old ones
FACTS_TABLES_KEPT = 6
Overrides = Mapping[str, object] | None


def today_in_japan() -> date:
    """Today's calendar date in Japan."""
    return datetime.now(JAPAN).date()


def as_day(value: date | str | None, default: date | None = None) -> date | None:
    """A calendar date from a date, datetime or 'YYYY-MM-DD' (default when None)."""
    if value is None:
        return default
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class FactsCache:
    """Evaluated facts shared by every session of the process, by (database key, as-of, settings).

    A read-only connection's data never changes, so the facts of a day under some settings are the
    same for every cursor of it: they are built once (the first caller builds, everyone asking for
    the same key meanwhile waits for that build) and kept as Arrow tables, the most recently used
    FACTS_TABLES_KEPT. Keys asked for once are remembered (`seen`) so that the second request builds.
    The staff lists' entries of a day (list_entries) are kept here too, under the facts' key and
    "staff_lists": they are facts of the day, built on the first request (a few thousand rows).
    """

    def __init__(self, kept: int = FACTS_TABLES_KEPT) -> None:
        self.kept = kept
        self._lock = threading.Lock()
        self._tables: OrderedDict[tuple, pa.Table] = OrderedDict()
        self._building: dict[tuple, Future] = {}
        self._seen: OrderedDict[tuple, None] = OrderedDict()
        self.builds = 0  # how many times facts were built (tests, benchmarks)

    def get(self, key: tuple) -> pa.Table | None:
        """The stored facts of a key, or None."""
        with self._lock:
            table = self._tables.get(key)
            if table is not None:
                self._tables.move_to_end(key)
            return table

    def seen(self, key: tuple) -> bool:
        """Whether the key was asked for before (and remember that it now was)."""
        with self._lock:
            known = key in self._seen
            self._seen[key] = None
            self._seen.move_to_end(key)
            while len(self._seen) > 64:
                self._seen.popitem(last=False)
            return known

    def build(self, key: tuple, make: Callable[[], pa.Table]) -> pa.Table:
        """The facts of a key: stored ones, one being built by another caller, or make()'s."""
        with self._lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
            future = self._building.get(key)
            owner = future is None
            if owner:
                future = self._building[key] = Future()
        if not owner:
            return future.result()
        try:
            table = make()
        except BaseException as exc:
            with self._lock:
                del self._building[key]
            future.set_exception(exc)
            raise
        with self._lock:
            self.builds += 1
            self._tables[key] = table
            del self._building[key]
            while len(self._tables) > self.kept:
                self._tables.popitem(last=False)
        future.set_result(table)
        return table

    def stored_keys(self) -> list[tuple]:
        """The stored keys, least recently used first."""
        with self._lock:
            return list(self._tables)

    def clear(self) -> None:
        """Forget every stored table (tests)."""
        with self._lock:
            self._tables.clear()
            self._seen.clear()


FACTS = FactsCache()


def database_key(con: duckdb.DuckDBPyConnection) -> str | None:
    """The key of the data a read-only connection sees (shared by its cursors); None when writable."""
    [(key,)] = con.execute("SELECT getvariable('database_key')").fetchall()
    return key


def facts_key(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None,
    overrides: Overrides,
    known_at: date | str | None = None,
) -> tuple[Settings, date, str, tuple]:
    """The settings, day, relation name and cache key (database key first, the known-at day last:
    None when the facts are known at the day itself) of a day's facts."""
    settings = settings_of(con, overrides)
    day = as_day(as_of, today_in_japan())
    ensure_calendar(con, settings)
    # not-an-inquiry marks (pipelines.office.marks): their version keys the facts, so a new
    # exclusion gives new facts at once
    excluded = load_marks(con)
    known = as_day(known_at)
    known = None if known is None or known >= day else known  # known at A: the plain facts
    name = f"facts_{day:%Y%m%d}_{settings.fingerprint()}_{excluded}"
    if known is not None:
        name += f"_known_{known:%Y%m%d}"
    key = (database_key(con), day, settings.fingerprint(), excluded, known)
    return settings, day, name, key


@contextmanager
def evaluated(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None,
    overrides: Overrides = None,
    store: bool = False,
    known_at: date | str | None = None,
    scope: str = "all",
) -> Iterator[str]:
    """The name of a relation of inquiry_facts as of a day under the settings (with overrides);
    with known_at (a day before it), from the data up to the end of that day only.

    The settings reach the rules as a parameter (a STRUCT, carried on every row as `settings`), so
    relations under different settings can be read in one statement; nothing of the connection is
    changed but the name's own relation.

    - The first time a day and settings are asked for, the name is that of a view: the facts are
      evaluated inside the statement that reads it, and only the columns it reads (a 90-day headline
      at a million inquiries: 0.17 s; storing every column: 0.4 s).
    - From the second time on a read-only connection (whose data never changes), they are built once
      into the process-wide cache FACTS, shared by every cursor of that connection, and registered
      under the name. A read-write connection always gets the view: always current.
    - store=True asks for the cached facts at once (a page about to ask many questions of a day).
    - scope 'open' or 'lists' (inquiry_facts' open_only and listable in rules.sql) may leave out
      inquiries that cannot matter to the question: the stored facts when there are, else a view of only the others
      (never stored; it does not count as a request for the day's facts).
    - scope 'some' (a question filtered to some inquiries: one ID, a period): likewise, the whole
      view. A question about one period's inquiries alone uses evaluated_once() (their rules only).
    """
    settings, day, name, key = facts_key(con, as_of, overrides, known_at)
    db_key, known = key[0], key[-1]
    table = FACTS.get(key) if db_key else None
    if table is None and scope != "all":
        name = f"{name}_{scope}"
    elif table is None and db_key and (store or FACTS.seen(key)):
        cfg = settings.sql_struct()
        table = FACTS.build(
            key,
            lambda: con.sql(
                "SELECT * FROM inquiry_facts(?, ?, known_at := ?)", params=[day, cfg, known]
            ).to_arrow_table(),
        )
    if table is not None:
        con.register(name, table)
        yield name
        return
    view = f"{name}_view"
    # the view's own parameters, named after it: no other relation reads them
    con.execute(f"SET VARIABLE {view}_as_of = ?", [day])
    con.execute(f"SET VARIABLE {view}_cfg = ?", [settings.sql_struct()])
    con.execute(f"SET VARIABLE {view}_known = ?", [known])
    con.execute(f"SET VARIABLE {view}_open_only = ?", [scope == "open"])
    con.execute(f"SET VARIABLE {view}_listable = ?", [scope == "lists"])
    con.execute(
        f'CREATE OR REPLACE TEMP VIEW "{view}" AS SELECT * FROM '
        f"inquiry_facts(getvariable('{view}_as_of'), getvariable('{view}_cfg'), "
        f"known_at := getvariable('{view}_known'), "
        f"open_only := getvariable('{view}_open_only'), "
        f"listable := getvariable('{view}_listable'))"
    )
    yield view


@contextmanager
def evaluated_once(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None,
    overrides: Overrides = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> Iterator[str]:
    """As evaluated(), for a question that reads the facts several times (period_metrics reads its
    relation three times): the first time, the facts evaluated once into an Arrow table for the
    caller alone (dropped after), not a view evaluated at every reading; stored facts when there
    are; asked for again, stored (as evaluated() does).

    With start or end, of the inquiries received in [start, end] alone (period_facts' window): a
    what-if evaluates its rules for the period's inquiries only; period_metrics over them gives
    every report metric of the period (only `mature`, no report metric, reads other inquiries).
    The facts kept for the period (keep_facts with start) are read as they are."""
    stored = _kept_period(con, as_of, overrides, start, end)
    if stored is not None:
        yield stored
        return
    key = facts_key(con, as_of, overrides)[3]
    if key[0] and FACTS.get(key) is None and FACTS.seen(key):
        with evaluated(con, as_of, overrides, store=True) as facts:
            yield facts
        return
    with evaluated(con, as_of, overrides, scope="some") as facts:
        if not facts.endswith("_view"):  # stored: read as they are
            yield facts
            return
        table = con.sql(
            f'SELECT * FROM "{facts}" WHERE in_period(received_date, as_of_date, ?, ?)',
            params=[as_day(start), as_day(end)],
        ).to_arrow_table()
    name = f"{facts}_once"
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def keep_facts(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None,
    overrides: Overrides = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> bool:
    """Build and keep the facts for a day now (read-only connections), for many queries to come.

    A page that will query the same day many times calls this first, so that none of its queries
    goes through the view (see evaluated). Returns whether they are kept (read-only connections).
    With start (a page asking only about the inquiries received in [start, end]): only the facts
    such questions read, rules.sql period_question_facts (the period's and every contract's), which
    period_evaluated() and evaluated_once() give them; the day's facts when those are kept already.
    """
    if start is None:
        with evaluated(con, as_of, overrides, store=True) as name:
            return not name.endswith("_view")
    settings, day, _name, key = facts_key(con, as_of, overrides)
    if key[0] is None:
        return False
    if FACTS.get(key) is None:
        period = [as_day(start), as_day(end)]
        cfg = settings.sql_struct()
        FACTS.build(
            _period_key(key, *period),
            lambda: con.sql(
                "SELECT * FROM period_question_facts(?, ?, ?, ?)", params=[day, cfg, *period]
            ).to_arrow_table(),
        )
    return True


def _period_key(key: tuple, start: date | None, end: date | None) -> tuple:
    return (*key, "period", start, end)


def _kept_period(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None,
    overrides: Overrides,
    start: date | str | None,
    end: date | str | None,
) -> str | None:
    """The name of the facts kept for the period (keep_facts with start), registered; else None."""
    if start is None:
        return None
    _settings, _day, name, key = facts_key(con, as_of, overrides)
    period = (as_day(start), as_day(end))
    table = FACTS.get(_period_key(key, *period)) if key[0] else None
    if table is None:
        return None
    last = "a" if period[1] is None else f"{period[1]:%Y%m%d}"  # no end: up to A
    name = f"{name}_period_{period[0]:%Y%m%d}_{last}"
    con.register(name, table)
    return name


@contextmanager
def period_evaluated(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None,
    overrides: Overrides = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> Iterator[str]:
    """As evaluated(), for a question about the inquiries received in [start, end] alone (the
    period macros of rules.sql): the facts kept for that period when there are."""
    stored = _kept_period(con, as_of, overrides, start, end)
    if stored is not None:
        yield stored
        return
    with evaluated(con, as_of, overrides) as facts:
        yield facts


def settings_of(con: duckdb.DuckDBPyConnection, overrides: Overrides = None) -> Settings:
    """The settings a connection computes with (and with overrides applied)."""
    base = connection_settings(con)
    return base.with_overrides(overrides) if overrides else base
