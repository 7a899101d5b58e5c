"""The Japanese business-day calendar: weekends, public holidays (``holidays``) and closed days."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
import pandas as pd

from pipelines.settings import Settings

FIRST_YEAR = 1990
LAST_YEAR = 2100


@lru_cache(maxsize=1)
def _japanese_holidays() -> frozenset[date]:
    return frozenset(holidays.country_holidays("JP", years=range(FIRST_YEAR, LAST_YEAR + 1)))


def is_business_day(day: date, settings: Settings) -> bool:
    """True when staff work that day: a weekday, not a public holiday, not a closed day."""
    return day.weekday() < 5 and day not in _japanese_holidays() and not settings.is_closed_day(day)


@lru_cache(maxsize=4)
def business_day_table(settings: Settings) -> pd.DataFrame:
    """One row per calendar day 1990–2100: `day`, `is_business_day`, `business_day_index` (cumulative count)."""
    start = date(FIRST_YEAR, 1, 1)
    days = pd.date_range(start, date(LAST_YEAR, 12, 31), freq="D")
    weekday = days.day_of_week < 5
    holiday = days.isin(pd.to_datetime(sorted(_japanese_holidays())))
    md = days.strftime("%m-%d")
    closed = pd.Series(False, index=range(len(days)))
    for a, b in settings.closed_days:
        closed |= ((md >= a) & (md <= b)) if a <= b else ((md >= a) | (md <= b))
    business = weekday & ~holiday & ~closed.to_numpy()
    return pd.DataFrame(
        {"day": days.date, "is_business_day": business, "business_day_index": business.cumsum()}
    )
