"""The business-day calendar a connection gets (calendar.sql, built in DuckDB without pandas) is
the calendar pipelines.calendar gives as a frame, day by day."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from pipelines.calendar import business_day_table, is_business_day
from pipelines.definitions import ensure_calendar
from pipelines.settings import load_settings


@pytest.mark.parametrize(
    "closed_days",
    [None, (("12-29", "01-03"),), (("11-21", "11-23"), ("05-02", "05-06"), ("02-29", "02-29"))],
)
def test_the_sql_calendar_is_the_frame_calendar(closed_days: tuple | None) -> None:
    settings = load_settings()
    if closed_days is not None:
        settings = settings.with_overrides({"closed_days": closed_days})
    con = duckdb.connect()
    con.execute(
        "CREATE TEMP TABLE business_days (calendar VARCHAR, day DATE, is_business_day BOOLEAN, "
        "business_day_index BIGINT)"
    )
    key = ensure_calendar(con, settings)
    got = con.execute(
        "SELECT day, is_business_day, business_day_index FROM business_days WHERE calendar = ? "
        "ORDER BY day",
        [key],
    ).fetchall()
    frame = business_day_table(settings)
    want = [(d.date(), bool(b), int(i)) for d, b, i in frame.itertuples(index=False)]
    assert got == want
    by_day = {d: b for d, b, _ in got}
    for day in (date(2026, 1, 2), date(2026, 5, 6), date(2026, 11, 23), date(2028, 2, 29)):
        assert by_day[day] == is_business_day(day, settings), day


def test_the_holiday_snapshot_is_the_holidays_librarys() -> None:
    """pipelines/holidays_jp.py is the library's list (after upgrading it: python -m
    pipelines.calendar)."""
    from pipelines.calendar import _japanese_holidays, library_holidays

    assert sorted(_japanese_holidays()) == library_holidays()
    assert date(2026, 5, 6) in _japanese_holidays()  # a substitute holiday
