"""The Japanese business-day calendar: weekends, public holidays (``holidays``) and closed days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from pipelines.settings import Settings
from pipelines.vocabulary import FIRST_DATE, LAST_DATE


@lru_cache(maxsize=1)
def _japanese_holidays() -> frozenset[date]:
    years = range(FIRST_DATE.year, LAST_DATE.year + 1)
    return frozenset(holidays.country_holidays("JP", years=years))


@lru_cache(maxsize=8)
def business_day_table(settings: Settings) -> pd.DataFrame:
    """One row per calendar day FIRST_DATE–LAST_DATE: `day` (datetime64, midnight), `is_business_day`,
    `business_day_index` (cumulative count of business days up to and including it)."""
    days = pd.date_range(FIRST_DATE, LAST_DATE, freq="D")
    weekday = days.day_of_week < 5
    holiday = days.isin(pd.to_datetime(sorted(_japanese_holidays())))
    month_day = days.month * 100 + days.day
    closed_by_month_day = {
        md: settings.is_closed_day(date(2024, md // 100, md % 100)) for md in set(month_day)
    }
    closed = np.fromiter((closed_by_month_day[md] for md in month_day), bool, len(month_day))
    business = weekday & ~holiday & ~closed
    return pd.DataFrame(
        {"day": days, "is_business_day": business, "business_day_index": business.cumsum()}
    )


def is_business_day(day: date, settings: Settings) -> bool:
    """True when staff work that day: a weekday, not a public holiday, not a closed day."""
    return day.weekday() < 5 and day not in _japanese_holidays() and not settings.is_closed_day(day)


def next_business_day(day: date, settings: Settings) -> date:
    """The first business day after `day` (calendar date)."""
    later = day + timedelta(days=1)
    while not is_business_day(later, settings):
        later += timedelta(days=1)
    return later
