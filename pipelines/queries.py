"""The query layer: everything the dashboard looks up besides the metrics (search, one inquiry, data health).

The SQL is in ``pipelines/sql/queries.sql``; values go in as parameters. The dashboard wraps each
function in one cache keyed by the database version and the settings; notebooks call them directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines.api import Overrides, as_day, evaluated
from pipelines.definitions import named_statements
from pipelines.jptext import BLANK_CHARS, SEARCH_SEPARATORS, match_fold, search_compact
from pipelines.vocabulary import LAST_DATE, OPEN_STATUSES

PAGE_SIZE = 50
_SPACES = re.compile(f"[{re.escape(BLANK_CHARS)}]+")  # what a name's search fold drops


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None):
    sql = named_statements("queries.sql")[name]
    return con.execute(sql, params or {})


def inquiry_count(con: duckdb.DuckDBPyConnection) -> int:
    """Inquiries loaded (any date)."""
    return int(_run(con, "inquiry_count").fetchone()[0])


@dataclass(frozen=True)
class Freshness:
    """How fresh the data is: the first and latest inquiry, latest event, last load (Japan time)."""

    first_received_at: datetime | None
    latest_received_at: datetime | None
    latest_event_at: datetime | None
    last_loaded_at: datetime | None


def freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    """The first and latest inquiry, the latest event and when the last load finished."""
    row = _run(con, "freshness").fetchone()
    latest_received, latest_event, first_received, last_loaded = row
    return Freshness(first_received, latest_received, latest_event, last_loaded)


def loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The load history, newest first: per file (or sheet) rows read, loaded, duplicate, quarantined."""
    return _run(con, "loads").fetchdf()


def quarantine(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows that could not be read, with file, line, column and reason."""
    return _run(con, "quarantine").fetchdf()


def orphans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Quote-log events whose inquiry is not loaded (yet)."""
    return _run(con, "orphans").fetchdf()


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The services and channels the Inquiries page's filters offer."""
    services, channels = _run(con, "filter_options").fetchone()
    return {"services": list(services or []), "channels": list(channels or [])}


def search_key(text: str) -> tuple[str, str]:
    """A search text folded for matching (NFKC, lower case), and its form without hyphens and spaces.

    The second is empty when the text has no ASCII letter or digit: it can only match an ID or phone
    number, and skipping it spares a pass over every row (a name search).
    """
    folded = match_fold(text or "").strip()
    compact = search_compact(folded)
    return folded, compact if re.search(r"[0-9a-z]", compact) else ""


def name_key(text: str) -> str:
    """A search text folded as names are stored for search: without white space of any width or
    zero-width characters ('田中 一郎' → '田中一郎'); empty when that changes nothing (no extra pass)."""
    folded, _ = search_key(text)
    joined = _SPACES.sub("", folded)
    return joined if joined != folded else ""


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and how many inquiries match in all."""

    rows: pd.DataFrame
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


def search_inquiries(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None,
    text: str = "",
    statuses: Sequence[str] = (),
    reasons: Sequence[str] = (),
    services: Sequence[str] = (),
    channels: Sequence[str] = (),
    page: int = 1,
    page_size: int = PAGE_SIZE,
    overrides: Overrides = None,
    ids: Sequence[str] | None = None,
) -> SearchPage:
    """Inquiries received by as_of matching text and filters, newest first, one page (1-based);
    ids (from the office's marks) keeps only those inquiries (None: any)."""
    needle, compact = search_key(text)
    page = max(1, int(page))
    # open work only (the page's default): the inquiries that cannot be open are left out first
    scope = "open" if statuses and set(statuses) <= set(OPEN_STATUSES) else "all"
    with evaluated(con, as_of, overrides, scope=scope) as facts:
        frame = _run(
            con,
            "search_inquiries",
            {
                "facts": facts,
                "needle": needle,
                "needle_compact": compact,
                "needle_name": name_key(text),
                "separators": SEARCH_SEPARATORS,
                "statuses": list(statuses),
                "reasons": list(reasons),
                "services": list(services),
                "channels": list(channels),
                "page_size": int(page_size),
                "offset": (page - 1) * int(page_size),
                "ids": None if ids is None else list(ids),
            },
        ).fetchdf()
    total = int(frame["total_matches"].iloc[0]) if len(frame) else 0
    if not len(frame) and page > 1:  # past the last page: count again from the first
        first = search_inquiries(
            con, as_of, text, statuses, reasons, services, channels, 1, page_size, overrides, ids
        )
        total = first.total
    return SearchPage(frame.drop(columns="total_matches"), total, page, int(page_size))


def inquiries_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> pd.DataFrame:
    """Some inquiries' customer details, newest first (the not-an-inquiry filter shows these)."""
    return con.execute(
        named_statements("marks.sql")["inquiries_by_id"], {"ids": list(ids)}
    ).fetchdf()


def list_details(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> pd.DataFrame:
    """The customer's name, e-mail, phone, address and message of some inquiries (staff-list cards
    read api.staff_lists(details=False) and these for the items shown), one row per ID found."""
    return _run(con, "list_details", {"ids": list(ids)}).fetchdf()


def with_details(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """Staff-list rows without details (api.staff_lists(details=False)) with the customer's
    details joined, in the same order."""
    details = list_details(con, tuple(dict.fromkeys(rows["inquiry_id"])))
    return rows.merge(details, on="inquiry_id", how="left")


def inquiry_detail(
    con: duckdb.DuckDBPyConnection,
    inquiry_id: str,
    as_of: date | str | None,
    overrides: Overrides = None,
    alone: bool = False,
) -> dict[str, Any] | None:
    """One inquiry's facts and customer details as a dict, or None when not received by as_of;
    alone=True: a page about this inquiry alone, which never builds the day's facts for it."""
    with evaluated(con, as_of, overrides, scope="some" if alone else "all") as facts:
        frame = _run(con, "inquiry_detail", {"facts": facts, "inquiry_id": inquiry_id}).fetchdf()
    if frame.empty:
        return None
    return {k: (None if _is_missing(v) else v) for k, v in frame.iloc[0].items()}


def _is_missing(value: object) -> bool:
    if isinstance(value, list | tuple) or (
        hasattr(value, "__len__") and not isinstance(value, str)
    ):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def events_of(
    con: duckdb.DuckDBPyConnection, inquiry_id: str, as_of: date | str | None = None
) -> pd.DataFrame:
    """The quote-log events of one inquiry up to the end of as_of (default: all), in time order."""
    day = as_day(as_of, LAST_DATE)
    return _run(con, "events_of", {"inquiry_id": inquiry_id, "as_of": day}).fetchdf()
