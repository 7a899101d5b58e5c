"""Which days a view covers, what it is fairly compared with, and whether the data reaches them.

Fair comparisons (docs/metrics.md): a period of N days ending on A is compared with the N days
before it *as they stood on their own last day* — both cohorts of inquiries are then the same age
(0 to N−1 days), so a recent period whose inquiries are still open is not set against an older one
whose inquiries have had weeks to convert. The figures of the period itself are always those of
``report --from A−N+1 --to A --as-of A``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from pipelines.i18n import day_text, t
from pipelines.queries import Freshness


@dataclass(frozen=True)
class Window:
    """Inquiries received from start (None: the beginning) to end, evaluated as of end.

    prev_*: the same number of days just before, evaluated as of prev_end (same age); None for
    an open-ended window.
    """

    start: date | None
    end: date
    prev_start: date | None = None
    prev_end: date | None = None

    @property
    def days(self) -> int | None:
        """Calendar days covered (None when open-ended)."""
        return None if self.start is None else (self.end - self.start).days + 1

    @property
    def prev_as_of(self) -> date | None:
        """The day the previous period is evaluated as of: its own last day (same age)."""
        return self.prev_end


def window(as_of: date, days: int | None) -> Window:
    """The `days` calendar days ending on as_of and the same number before (None: all time)."""
    if days is None:
        return Window(None, as_of)
    start = as_of - timedelta(days=days - 1)
    prev_end = start - timedelta(days=1)
    return Window(start, as_of, prev_end - timedelta(days=days - 1), prev_end)


def calendar_window(as_of: date, unit: Literal["month", "quarter"]) -> Window:
    """This month (or quarter) to date, against the same days of the previous one (same age)."""
    months = 1 if unit == "month" else 3
    first_month = (as_of.month - 1) // months * months + 1
    start = date(as_of.year, first_month, 1)
    prev_year, prev_month = (start.year, start.month - months)
    if prev_month < 1:
        prev_year, prev_month = prev_year - 1, prev_month + 12
    prev_start = date(prev_year, prev_month, 1)
    prev_end = min(prev_start + (as_of - start), start - timedelta(days=1))
    return Window(start, as_of, prev_start, prev_end)


CoverageState = Literal["empty", "before_data", "after_data", "in_data"]


@dataclass(frozen=True)
class Coverage:
    """Where an as-of day falls against the loaded data."""

    state: CoverageState
    first_day: date | None
    last_day: date | None
    days_after: int = 0  # days from the latest inquiry to the as-of day (after_data only)


def coverage(fresh: Freshness, as_of: date) -> Coverage:
    """Whether as_of is before the first inquiry, after the latest one, or within the data."""
    if fresh.first_received_at is None or fresh.latest_received_at is None:
        return Coverage("empty", None, None)
    first, last = fresh.first_received_at.date(), fresh.latest_received_at.date()
    if as_of < first:
        return Coverage("before_data", first, last)
    if as_of > last:
        return Coverage("after_data", first, last, (as_of - last).days)
    return Coverage("in_data", first, last)


def freshness_line(fresh: Freshness, lang: str) -> str:
    """'Data up to <latest inquiry>, last loaded <when>' in the language."""
    if fresh.latest_received_at is None:
        return t("fresh.none", lang)
    loaded = (
        stamp_text(fresh.last_loaded_at, lang) if fresh.last_loaded_at else t("fresh.never", lang)
    )
    return t("fresh.line", lang, latest=stamp_text(fresh.latest_received_at, lang), loaded=loaded)


def stamp_text(stamp: datetime, lang: str) -> str:
    """A date and time for people: 2026/11/20（金） 14:05."""
    return f"{day_text(stamp.date(), lang)} {stamp:%H:%M}"


def data_until(fresh: Freshness) -> date | None:
    """The last day the data covers: the later of the latest inquiry and the latest event (None
    when nothing is loaded)."""
    days = [s.date() for s in (fresh.latest_received_at, fresh.latest_event_at) if s is not None]
    return max(days) if days else None


def stale_text(fresh: Freshness, as_of: date, lang: str) -> str | None:
    """'The data only goes up to <day>…: load the latest export' when the data ends before as_of
    (a day of the past chosen as the as-of day is not stale); None otherwise."""
    last = data_until(fresh)
    if last is None or last >= as_of:
        return None
    return t("fresh.stale", lang, last=day_text(last, lang), day=day_text(as_of, lang))
