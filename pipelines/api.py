"""The Python API: the numbers the dashboard, the CLI and notebooks show, as dicts and DataFrames.

Every function takes an open connection (``pipelines.connect()``) and computes from the shared SQL
macros in ``pipelines/sql/rules.sql``; nothing here re-derives a metric. Every function also takes
``overrides`` (e.g. ``{"min_lead_days": 2}``) to compute the same figures under other settings —
the what-if; the settings file is never written.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pipelines.definitions import connection_settings, ensure_calendar
from pipelines.metrics import REPORT_METRICS, report_value
from pipelines.office.marks import load_marks
from pipelines.settings import Settings
from pipelines.vocabulary import RULE_REASONS, STAFF_LIST_REPORT_KEYS, STAFF_LISTS, TIME_ZONE

# pandas loads only for the functions that return DataFrames (report answers from DuckDB's tuples)
if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa

JAPAN = ZoneInfo(TIME_ZONE)
FREQ_UNITS = {"D": "day", "W": "week", "M": "month", "day": "day", "week": "week", "month": "month"}
# facts (database × as-of × settings) the process keeps before dropping old ones
FACTS_TABLES_KEPT = 6
# Customer details and provenance, kept out of the facts table (the rules only need whether they are
# blank) and joined back for people to read.
DETAIL_COLUMNS = (
    "customer_name",
    "customer_address",
    "customer_email",
    "target_phone",
    "message",
    "source_file",
    "source_line",
)
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


def _facts_key(
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
    settings, day, name, key = _facts_key(con, as_of, overrides, known_at)
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
    every report metric of the period (only `mature`, no report metric, reads other inquiries)."""
    key = _facts_key(con, as_of, overrides)[3]
    if key[0] and FACTS.get(key) is None and FACTS.seen(key):
        with evaluated(con, as_of, overrides, store=True) as facts:
            yield facts
        return
    with evaluated(con, as_of, overrides, scope="some") as facts:
        if not facts.endswith("_view"):  # stored: read as they are
            yield facts
            return
        table = con.sql(
            f'SELECT * FROM "{facts}" WHERE (CAST(? AS DATE) IS NULL OR received_date >= '
            "CAST(? AS DATE)) AND received_date <= coalesce(CAST(? AS DATE), as_of_date)",
            params=[as_day(start), as_day(start), as_day(end)],
        ).to_arrow_table()
    name = f"{facts}_once"
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def keep_facts(
    con: duckdb.DuckDBPyConnection, as_of: date | str | None, overrides: Overrides = None
) -> bool:
    """Build and keep the facts for a day now (read-only connections), for many queries to come.

    A page that will query the same day many times calls this first, so that none of its queries
    goes through the view (see evaluated). Returns whether they are kept (read-only connections).
    """
    with evaluated(con, as_of, overrides, store=True) as name:
        return not name.endswith("_view")


def _period_table(
    con: duckdb.DuckDBPyConnection,
    macro: str,
    as_of: date | str | None,
    start: date | str | None,
    end: date | str | None,
    overrides: Overrides,
    *extra: str,
) -> pd.DataFrame:
    # Through the view even for period_metrics (it reads the facts thrice): DuckDB evaluates only the
    # columns read (a cold 1M headline: 0.8–0.9 CPU-s; every column into Arrow first: 1.2–1.3).
    with evaluated(con, as_of, overrides) as facts:
        params = [facts, as_day(start), as_day(end), *extra]
        return _macro(con, macro, params)


_MACRO_STATEMENTS = {
    "period_metrics": "SELECT * FROM period_metrics(?, ?, ?, ?)",
    "status_counts": "SELECT * FROM status_counts(?, ?, ?)",
    "staff_time_by_status": "SELECT * FROM staff_time_by_status(?, ?, ?)",
    "funnel": "SELECT * FROM funnel(?, ?, ?)",
    "staff_performance": "SELECT * FROM staff_performance(?, ?, ?)",
}


def _macro(con: duckdb.DuckDBPyConnection, macro: str, params: list[Any]) -> pd.DataFrame:
    return con.execute(_MACRO_STATEMENTS[macro], params).fetchdf()


def _macro_row(con: duckdb.DuckDBPyConnection, macro: str, params: list[Any]) -> dict[str, Any]:
    """The first row of a table macro as a dict of Python values (NULL: None)."""
    cursor = con.execute(_MACRO_STATEMENTS[macro], params)
    names = [column[0] for column in cursor.description]
    return dict(zip(names, cursor.fetchall()[0], strict=True))


def report(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    overrides: Overrides = None,
) -> dict[str, Any]:
    """The SPEC's report object: counts (inquiries), rates (fractions 0–1 or None), minutes, yen."""
    as_of_day = as_day(as_of, today_in_japan())
    with evaluated(con, as_of_day, overrides) as facts:
        metrics, statuses, lists = con.execute(
            "SELECT * FROM report_figures(?, ?, ?)", [facts, as_day(start), as_day(end)]
        ).fetchone()
    quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    out: dict[str, Any] = {"as_of": as_of_day.isoformat()}
    for metric in REPORT_METRICS:
        out[metric.name] = report_value(metric, metrics[metric.name])
    out["status_counts"] = {c["status"]: int(c["inquiries"]) for c in statuses or []}
    sizes = {entry["list"]: entry for entry in lists or []}
    for name in STAFF_LISTS:
        out[STAFF_LIST_REPORT_KEYS[name]] = int(sizes[name]["inquiries"]) if name in sizes else 0
    out["quote_overdue"] = int(sizes["quote_due"]["overdue"]) if "quote_due" in sizes else 0
    out["quarantined_rows"] = int(quarantined)
    return out


def inquiry_facts(
    con: duckdb.DuckDBPyConnection, as_of: date | str | None = None, overrides: Overrides = None
) -> pd.DataFrame:
    """One row per inquiry received by as_of: every derived fact, status and reason codes."""
    select = f"SELECT f.* EXCLUDE (settings), {', '.join('i.' + c for c in DETAIL_COLUMNS)} FROM"
    select += " {} AS f JOIN inquiries AS i USING (inquiry_id) ORDER BY f.received_at, f.inquiry_id"
    if database_key(con) is None:  # read-write: evaluated()'s view, without binding a view first
        settings, day, _name, key = _facts_key(con, as_of, overrides)
        facts = "inquiry_facts(?, ?, known_at := ?)"
        return con.execute(select.format(facts), [day, settings.sql_struct(), key[-1]]).fetchdf()
    with evaluated(con, as_of, overrides) as facts:
        return con.execute(select.format(f'"{facts}"')).fetchdf()


def metrics_by(
    con: duckdb.DuckDBPyConnection,
    freq: str = "W",
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    overrides: Overrides = None,
) -> pd.DataFrame:
    """Headline metrics per day ('D'), week ('W', Monday start) or month ('M'), by date received."""
    try:
        unit = FREQ_UNITS[freq]
    except KeyError:
        raise ValueError(f"freq must be 'D', 'W' or 'M', got {freq!r}") from None
    return _period_table(con, "period_metrics", as_of, start, end, overrides, unit)


def headline(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    overrides: Overrides = None,
    period_only: bool = False,
) -> dict[str, Any]:
    """All headline figures for one period as a dict (rates as fractions, minutes, yen, dates as
    dates); period_only: the rules for the period's inquiries alone (a comparison period), `mature`
    (all contracts) None."""
    # one row: read as a tuple, without pandas (its import alone was 0.2 s of a cold headline)
    if period_only:
        with evaluated_once(con, as_of, overrides, start, end) as facts:
            figures = _macro_row(con, "period_metrics", [facts, as_day(start), as_day(end), "all"])
        figures["mature"] = None
        return figures
    with evaluated(con, as_of, overrides) as facts:
        return _macro_row(con, "period_metrics", [facts, as_day(start), as_day(end), "all"])


def funnel(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    overrides: Overrides = None,
) -> pd.DataFrame:
    """The funnel: inquiries → quoted → replied → contract requested → contracted, with shares."""
    return _period_table(con, "funnel", as_of, start, end, overrides)


def staff_time_by_status(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    overrides: Overrides = None,
) -> pd.DataFrame:
    """Staff minutes and yen spent on non-converting inquiries, per status."""
    return _period_table(con, "staff_time_by_status", as_of, start, end, overrides)


def status_counts(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    overrides: Overrides = None,
) -> pd.DataFrame:
    """Inquiries per status in the period."""
    return _period_table(con, "status_counts", as_of, start, end, overrides)


def staff_performance(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    overrides: Overrides = None,
) -> pd.DataFrame:
    """Per staff member: quotes sent, first quotes on time, staff minutes, conversions (SPEC)."""
    return _period_table(con, "staff_performance", as_of, start, end, overrides)


@contextmanager
def list_entries(
    con: duckdb.DuckDBPyConnection,
    day: date | str | None,
    overrides: Overrides = None,
    known_at: date | str | None = None,
) -> Iterator[str]:
    """The name of a relation of the staff lists' entries for a day (staff_list_members_unmarked: members
    without marks or customer details). They depend only on the facts, so on a read-only connection
    they are built once per facts key (into FACTS, under the facts' key and "staff_lists"), shared
    by every cursor: a mark re-reads only the marks over them, never the facts."""
    _settings, _day, name, key = _facts_key(con, day, overrides, known_at)
    name = f"entries_{name}"
    if key[0] is None:  # read-write: always current
        with evaluated(con, day, overrides, known_at=known_at, scope="lists") as facts:
            con.execute(
                f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM staff_list_members_unmarked(?)',
                [facts],
            )
        yield name
        return

    def build() -> pa.Table:
        with evaluated(con, day, overrides, known_at=known_at, scope="lists") as facts:
            return con.sql(
                "SELECT * FROM staff_list_members_unmarked(?)", params=[facts]
            ).to_arrow_table()

    con.register(name, FACTS.build((*key, "staff_lists"), build))
    yield name


def staff_lists(
    con: duckdb.DuckDBPyConnection,
    day: date | str | None = None,
    overrides: Overrides = None,
    known_at: date | str | None = None,
    details: bool = True,
) -> dict[str, pd.DataFrame]:
    """The staff's lists for a day (pipelines.vocabulary.STAFF_LISTS), each a DataFrame, most
    urgent first; with known_at (an earlier day), the lists for that day as known at the end of
    known_at (the digest's lists for N use only data up to A); details=False leaves out the
    customer's name, contacts and message (a page fetches them for the items it shows with
    queries.list_details: at a million inquiries the details of every member cost more than the
    lists)."""
    macro = "staff_lists_from" if details else "staff_list_rows"
    with list_entries(con, day, overrides, known_at) as entries:
        frame = con.execute(f"SELECT * FROM {macro}(?)", [entries]).fetchdf()
    names = frame["list"].tolist()  # ordered by list: each one slice (a mask per list cost more)
    rows, first = frame.drop(columns="list"), {n: names.index(n) for n in set(names)}
    span = {n: slice(first[n], first[n] + names.count(n)) for n in first}
    return {n: rows.iloc[span.get(n, slice(0))].reset_index(drop=True) for n in STAFF_LISTS}


def staff_list_rows(
    con: duckdb.DuckDBPyConnection, day: date | str | None = None, overrides: Overrides = None
) -> dict[str, pd.DataFrame]:
    """The staff's lists for a day without the customer's details (staff_lists(details=False))."""
    return staff_lists(con, day, overrides, details=False)


def lists_of(
    con: duckdb.DuckDBPyConnection,
    inquiry_id: str,
    day: date | str | None = None,
    overrides: Overrides = None,
) -> pd.DataFrame:
    """The staff lists one inquiry is on for a day: its rows of staff_lists (none when on no list)."""
    with evaluated(con, day, overrides, scope="some") as facts:
        # the one inquiry's facts first: the lists of a million inquiries are not needed for it
        con.execute(
            "CREATE OR REPLACE TEMP TABLE one_inquiry_facts AS "
            "SELECT * FROM query_table(?) WHERE inquiry_id = ?",
            [facts, inquiry_id],
        )
        return con.execute("SELECT * FROM staff_lists('one_inquiry_facts')").fetchdf()


def rule_trace(
    con: duckdb.DuckDBPyConnection,
    inquiry_id: str,
    as_of: date | str | None = None,
    overrides: Overrides = None,
    alone: bool = False,
) -> pd.DataFrame:
    """One row per rule for one inquiry: verdict (met/broken/pending/not_applicable), facts, and
    whether it `decided` the status (exactly one rule) or is `contributing` (behind another reason).
    alone=True: a page about this inquiry alone, which never builds the day's facts for it."""
    with evaluated(con, as_of, overrides, scope="some" if alone else "all") as facts:
        frame = con.execute("SELECT * FROM rule_trace(?, ?)", [facts, inquiry_id]).fetchdf()
    codes = list(frame["reason_codes"].iloc[0]) if len(frame) else []
    deciding, contributing = deciding_rules(codes)
    frame["decided"] = [rule == deciding for rule in frame["rule"]]
    frame["contributing"] = [rule in contributing for rule in frame["rule"]]
    return frame.drop(columns="reason_codes")


def deciding_rules(reason_codes: Sequence[str]) -> tuple[str | None, set[str]]:
    """The rule whose status condition matched first (its reason code comes first) and the rules
    behind the status's other reason codes (SPEC "Status": deciding vs contributing)."""
    rules = [
        rule
        for code in reason_codes
        for rule, rule_codes in RULE_REASONS.items()
        if code in rule_codes
    ]
    if not rules:
        return None, set()
    return rules[0], set(rules[1:]) - {rules[0]}


def what_if(
    con: duckdb.DuckDBPyConnection,
    overrides: Mapping[str, object],
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period under today's settings and under overrides: (figures side by side, changed inquiries).

    figures: one row per report metric with `current`, `changed`; changed inquiries: inquiry_id,
    received_at, status and reason codes under each.
    """
    # both relations carry their own settings: one statement reads them side by side. Each is
    # evaluated once for this call, for the period's inquiries alone (the stored facts when there
    # are): three statements read them, period_metrics three times (through views: 0.61 s CPU at
    # 100k with today's facts stored; now 0.14 s, or 0.2 s with nothing stored)
    with (
        evaluated_once(con, as_of, None, start, end) as before,
        evaluated_once(con, as_of, overrides, start, end) as after,
    ):
        current = _macro(con, "period_metrics", [before, as_day(start), as_day(end), "all"]).iloc[0]
        changed = _macro(con, "period_metrics", [after, as_day(start), as_day(end), "all"]).iloc[0]
        moved = con.execute(
            f"""
            SELECT b.inquiry_id, b.received_at, b.status AS status_current,
                   a.status AS status_changed, b.reason_codes AS reasons_current,
                   a.reason_codes AS reasons_changed
            FROM "{before}" AS b JOIN "{after}" AS a USING (inquiry_id)
            WHERE b.status <> a.status
              AND (CAST(? AS DATE) IS NULL OR b.received_date >= CAST(? AS DATE))
              AND b.received_date <= coalesce(CAST(? AS DATE), b.as_of_date)
            ORDER BY b.received_at, b.inquiry_id
            """,
            [as_day(start), as_day(start), as_day(end)],
        ).fetchdf()
    import pandas as pd

    figures = pd.DataFrame(
        {
            "metric": [m.name for m in REPORT_METRICS],
            "current": [report_value(m, current[m.name]) for m in REPORT_METRICS],
            "changed": [report_value(m, changed[m.name]) for m in REPORT_METRICS],
        }
    )
    return figures, moved


def settings_of(con: duckdb.DuckDBPyConnection, overrides: Overrides = None) -> Settings:
    """The settings a connection computes with (and with overrides applied)."""
    base = connection_settings(con)
    return base.with_overrides(overrides) if overrides else base
