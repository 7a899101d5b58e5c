"""The Japanese business-day calendar: weekends, public holidays (``holidays``) and closed days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays

from pipelines.settings import Settings
from pipelines.vocabulary import FIRST_DATE, LAST_DATE

if TYPE_CHECKING:
    import pandas as pd


@lru_cache(maxsize=1)
def _japanese_holidays() -> frozenset[date]:
    years = range(FIRST_DATE.year, LAST_DATE.year + 1)
    return frozenset(holidays.country_holidays("JP", years=years))


def calendar_parameters(settings: Settings) -> dict[str, object]:
    """The parameters of calendar.sql's business_days (without its key): the date range, the
    public holidays (dates) and the month-days the office is closed (month * 100 + day)."""
    leap_year = [date(2024, 1, 1) + timedelta(days=n) for n in range(366)]
    return {
        "first": FIRST_DATE,
        "last": LAST_DATE,
        "holidays": sorted(_japanese_holidays()),
        "closed": [d.month * 100 + d.day for d in leap_year if settings.is_closed_day(d)],
    }


@lru_cache(maxsize=8)
def business_day_table(settings: Settings) -> pd.DataFrame:
    """One row per calendar day FIRST_DATE–LAST_DATE: `day` (datetime64, midnight), `is_business_day`,
    `business_day_index` (cumulative count of business days up to and including it). The same
    calendar as calendar.sql's (the database's); pandas loads only for those who ask for a frame."""
    import numpy as np
    import pandas as pd

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
