"""The Python API: the numbers the dashboard and `report --json` show, as dicts and DataFrames.

Every function takes an open connection (``pipelines.connect()``) and computes from the shared SQL
macros in ``pipelines/sql/rules.sql``; nothing here re-derives a metric.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

JAPAN = ZoneInfo("Asia/Tokyo")
NONCONVERTING_STATUSES = (
    "declined_by_customer",
    "rejected_urgent",
    "rejected_late_request",
    "silent",
    "expired",
)
STATUSES = (
    "contracted",
    "contracted_against_rules",
    "cancelled",
    "declined_by_customer",
    "rejected_urgent",
    "rejected_late_request",
    "silent",
    "expired",
    "incomplete",
    "open",
)
# The report's keys taken from period_metrics, in the SPEC's order: counts are integers, rates
# fractions (or None when the denominator is 0); staff_minutes_per_nonconverting_inquiry is minutes.
REPORT_METRICS: tuple[tuple[str, type], ...] = (
    ("inquiries", int),
    ("quoted", int),
    ("converted", int),
    ("conversion_rate", float),
    ("judged_quotes", int),
    ("silent", int),
    ("silent_after_quote_rate", float),
    ("urgent_requests", int),
    ("nonconverting_inquiries", int),
    ("staff_minutes_nonconverting", int),
    ("staff_minutes_per_nonconverting_inquiry", float),
    ("quote_sla_rate", float),
)
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
PERIOD_MACROS = frozenset({"period_metrics", "funnel", "staff_time_by_status", "status_counts"})
FREQ_UNITS = {"W": "week", "M": "month", "week": "week", "month": "month"}


def today_in_japan() -> date:
    """Today's calendar date in Japan."""
    return datetime.now(JAPAN).date()


def _day(value: date | str | None, default: date | None = None) -> date | None:
    if value is None:
        return default
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _nullable(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and value != value) else value


def facts_table(con: duckdb.DuckDBPyConnection, as_of: date | str | None = None) -> str:
    """The name of a temp table of inquiry_facts as of a day, evaluated once per connection and day.

    Read-only connections are snapshots, so the table stays right for their life; a read-write
    connection (whose tables may change) gets it evaluated afresh on every call.
    """
    day = _day(as_of, today_in_japan())
    [(cached_day, mode)] = con.execute(
        "SELECT getvariable('facts_as_of'), current_setting('access_mode')"
    ).fetchall()
    if cached_day != day or mode != "read_only":
        con.execute("CREATE OR REPLACE TEMP TABLE facts AS SELECT * FROM inquiry_facts(?)", [day])
        con.execute("SET VARIABLE facts_as_of = ?", [day])
    return "facts"


def _period_table(
    con: duckdb.DuckDBPyConnection,
    macro: str,
    as_of: date | str | None,
    start: date | str | None,
    end: date | str | None,
    *extra: str,
) -> pd.DataFrame:
    """One of the aggregate macros (facts, start, end, …) over the facts as of a day."""
    if macro not in PERIOD_MACROS:
        raise ValueError(f"unknown period table {macro!r}")
    params = [facts_table(con, as_of), _day(start), _day(end), *extra]
    marks = ", ".join("?" for _ in params)
    return con.execute(f"SELECT * FROM {macro}({marks})", params).fetchdf()


def report(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> dict[str, Any]:
    """The SPEC's report object: counts (inquiries), rates (fractions 0–1 or None), minutes."""
    as_of_day = _day(as_of, today_in_japan())
    row = _period_table(con, "period_metrics", as_of_day, start, end, "all").iloc[0]
    statuses = _period_table(con, "status_counts", as_of_day, start, end)
    lists = staff_lists(con, as_of_day)
    quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    out: dict[str, Any] = {"as_of": as_of_day.isoformat()}
    for key, kind in REPORT_METRICS:
        out[key] = _nullable(kind(row[key]))
    out["status_counts"] = {
        s: int(n) for s, n in zip(statuses["status"], statuses["inquiries"], strict=True)
    }
    out["eligible_today"] = len(lists["eligible"])
    out["attention_today"] = len(lists["attention"])
    out["sign_by_today"] = len(lists["sign_by"])
    out["quarantined_rows"] = int(quarantined)
    return out


def inquiry_facts(con: duckdb.DuckDBPyConnection, as_of: date | str | None = None) -> pd.DataFrame:
    """One row per inquiry received by as_of: every derived fact, status and reason codes."""
    table = facts_table(con, as_of)
    return con.execute(
        f"SELECT f.*, {', '.join('i.' + c for c in DETAIL_COLUMNS)} "
        f"FROM {table} AS f JOIN inquiries AS i USING (inquiry_id) ORDER BY f.received_at, f.inquiry_id"
    ).fetchdf()


def metrics_by(
    con: duckdb.DuckDBPyConnection,
    freq: str = "W",
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> pd.DataFrame:
    """Headline metrics per week (freq 'W', Monday start) or month ('M'), by date received."""
    try:
        unit = FREQ_UNITS[freq]
    except KeyError:
        raise ValueError(f"freq must be 'W' or 'M', got {freq!r}") from None
    return _period_table(con, "period_metrics", as_of, start, end, unit)


def headline(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> dict[str, Any]:
    """All headline figures for one period as a dict (rates as fractions, cost in yen)."""
    frame = _period_table(con, "period_metrics", as_of, start, end, "all")
    return {k: _nullable(v.item() if hasattr(v, "item") else v) for k, v in frame.iloc[0].items()}


def funnel(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> pd.DataFrame:
    """The funnel: inquiries → quoted → replied → contract requested → contracted, with shares."""
    return _period_table(con, "funnel", as_of, start, end)


def staff_time_by_status(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> pd.DataFrame:
    """Staff minutes and yen spent on non-converting inquiries, per status."""
    return _period_table(con, "staff_time_by_status", as_of, start, end)


def status_counts(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> pd.DataFrame:
    """Inquiries per status in the period."""
    return _period_table(con, "status_counts", as_of, start, end)


def staff_lists(
    con: duckdb.DuckDBPyConnection, day: date | str | None = None
) -> dict[str, pd.DataFrame]:
    """The staff's three lists for a day: 'eligible', 'attention' and 'sign_by'."""
    frame = con.execute("SELECT * FROM staff_lists(?)", [facts_table(con, day)]).fetchdf()
    return {
        name: frame[frame["list"] == name].drop(columns="list").reset_index(drop=True)
        for name in ("eligible", "attention", "sign_by")
    }


def events_of(con: duckdb.DuckDBPyConnection, inquiry_id: str) -> pd.DataFrame:
    """The quote-log events of one inquiry, in time order."""
    return con.execute(
        "SELECT event_at, event, amount_jpy, staff, staff_minutes, note, source_file, source_line "
        "FROM events WHERE inquiry_id = ? ORDER BY event_at, event",
        [inquiry_id],
    ).fetchdf()
