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
PERIOD_MACROS = frozenset({"funnel", "staff_time_by_status", "status_counts"})
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


def _period_table(
    con: duckdb.DuckDBPyConnection,
    macro: str,
    as_of: date | str | None,
    start: date | str | None,
    end: date | str | None,
) -> pd.DataFrame:
    """One of the period table macros (as_of, start, end) as a DataFrame."""
    if macro not in PERIOD_MACROS:
        raise ValueError(f"unknown period table {macro!r}")
    period = [_day(as_of, today_in_japan()), _day(start), _day(end)]
    return con.execute(f"SELECT * FROM {macro}(?, ?, ?)", period).fetchdf()


def report(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> dict[str, Any]:
    """The SPEC's report object: counts (inquiries), rates (fractions 0–1 or None), minutes."""
    as_of_day = _day(as_of, today_in_japan())
    period = (as_of_day, _day(start), _day(end))
    row = con.execute("SELECT * FROM period_metrics(?, ?, ?, 'all')", period).fetchdf().iloc[0]
    statuses = con.execute(
        "SELECT status, inquiries FROM status_counts(?, ?, ?)", period
    ).fetchall()
    lists = dict(
        con.execute(
            "SELECT list, count(*) FROM staff_lists(?) GROUP BY list", [as_of_day]
        ).fetchall()
    )
    quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    out: dict[str, Any] = {"as_of": as_of_day.isoformat()}
    for key, kind in REPORT_METRICS:
        out[key] = _nullable(kind(row[key]))
    out["status_counts"] = {status: int(n) for status, n in statuses}
    out["eligible_today"] = int(lists.get("eligible", 0))
    out["attention_today"] = int(lists.get("attention", 0))
    out["sign_by_today"] = int(lists.get("sign_by", 0))
    out["quarantined_rows"] = int(quarantined)
    return out


def inquiry_facts(con: duckdb.DuckDBPyConnection, as_of: date | str | None = None) -> pd.DataFrame:
    """One row per inquiry received by as_of: every derived fact, status and reason codes."""
    as_of_day = _day(as_of, today_in_japan())
    return con.execute(
        "SELECT * FROM inquiry_facts(?) ORDER BY received_at, inquiry_id", [as_of_day]
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
    as_of_day = _day(as_of, today_in_japan())
    return con.execute(
        "SELECT * FROM period_metrics(?, ?, ?, ?)", [as_of_day, _day(start), _day(end), unit]
    ).fetchdf()


def headline(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
) -> dict[str, Any]:
    """All headline figures for one period as a dict (rates as fractions, cost in yen)."""
    as_of_day = _day(as_of, today_in_japan())
    frame = con.execute(
        "SELECT * FROM period_metrics(?, ?, ?, 'all')", [as_of_day, _day(start), _day(end)]
    ).fetchdf()
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
    as_of_day = _day(day, today_in_japan())
    frame = con.execute("SELECT * FROM staff_lists(?)", [as_of_day]).fetchdf()
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
