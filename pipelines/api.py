"""The Python API: the numbers the dashboard, the CLI and notebooks show, as dicts and DataFrames.

Every function takes an open connection (``pipelines.connect()``) and computes from the shared SQL
macros in ``pipelines/sql/rules.sql``; nothing here re-derives a metric. Every function also takes
``overrides`` (e.g. ``{"min_lead_days": 2}``) to compute the same figures under other settings —
the what-if; the settings file is never written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from pipelines.evaluation import (  # noqa: F401 -- the API's names for the evaluation's pieces
    FACTS,
    FACTS_TABLES_KEPT,
    JAPAN,
    FactsCache,
    Overrides,
    as_day,
    database_key,
    evaluated,
    evaluated_once,
    facts_key,
    keep_facts,
    period_evaluated,
    settings_of,
    today_in_japan,
)
from pipelines.metrics import REPORT_METRICS, report_value
from pipelines.vocabulary import RULE_REASONS, STAFF_LIST_REPORT_KEYS, STAFF_LISTS

# pandas loads only for the functions that return DataFrames (report answers from DuckDB's tuples)
if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa

FREQ_UNITS = {"D": "day", "W": "week", "M": "month", "day": "day", "week": "week", "month": "month"}
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
    with period_evaluated(con, as_of, overrides, start, end) as facts:
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
        settings, day, _name, key = facts_key(con, as_of, overrides)
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
    with period_evaluated(con, as_of, overrides, start, end) as facts:
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
    _settings, _day, name, key = facts_key(con, day, overrides, known_at)
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
              AND in_period(b.received_date, b.as_of_date, ?, ?)
            ORDER BY b.received_at, b.inquiry_id
            """,
            [as_day(start), as_day(end)],
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
