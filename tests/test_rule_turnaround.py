"""Rule 6, quote turnaround: business days over weekends, Japanese holidays and the New-Year closure.

quote_business_days counts business days d with received date < d ≤ date(first quote); the SLA is met
at ≤ quote_sla_business_days (2). quote_due_date is the SLA-th business day after the received date.
Rows go straight into an in-memory database, no loader.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipelines.calendar import is_business_day, next_business_day
from pipelines.settings import load_settings
from tests.conftest import event, inquiry

LATER = date(2027, 1, 31)  # evaluate well after every quote below


def turnaround(facts_of, received: str, quoted: str, **settings: object) -> pd.Series:
    s = load_settings().with_overrides(settings) if settings else None
    return facts_of(
        [inquiry("A", received, requested_for="2027-03-01")],
        [event("A", quoted, "quote_sent")],
        as_of=LATER,
        settings=s,
    ).loc["A"]


@pytest.mark.parametrize(
    ("received", "quoted", "business_days"),
    [
        ("2026-11-20 10:00", "2026-11-20 18:00", 0),  # same day
        ("2026-11-20 23:59", "2026-11-21 00:01", 0),  # Fri night → Sat: no business day between
        ("2026-11-24 10:00", "2026-11-25 09:00", 1),  # Tue → Wed
        ("2026-11-24 10:00", "2026-11-26 09:00", 2),  # Tue → Thu: the last day on time
        ("2026-11-24 10:00", "2026-11-27 09:00", 3),  # Tue → Fri: late
        ("2026-11-20 10:00", "2026-11-24 09:00", 1),  # Fri → Tue: Sat, Sun, Mon 11-23 holiday
        ("2026-11-21 10:00", "2026-11-25 09:00", 2),  # Sat → Wed: Tue, Wed
        (
            "2026-12-25 10:00",
            "2027-01-05 09:00",
            3,
        ),  # 12-28, then the 12-29…01-03 closure: 01-04, 01-05
        ("2026-12-29 10:00", "2027-01-04 09:00", 1),  # received during the closure
        ("2026-05-01 10:00", "2026-05-07 09:00", 1),  # Golden Week incl. substitute holiday 05-06
        ("2026-09-18 10:00", "2026-09-24 09:00", 1),  # 09-21 Aged, 09-22 in-between, 09-23 Equinox
    ],
)
def test_turnaround_in_business_days(
    facts_of, received: str, quoted: str, business_days: int
) -> None:
    """Business days d with received < d ≤ quoted; the SLA is met at 2 or fewer."""
    f = turnaround(facts_of, received, quoted)
    assert (f.quote_business_days, f.quote_sla_met) == (business_days, business_days <= 2)


@pytest.mark.parametrize("quoted", ["2026-11-24 09:00", "2026-11-20 10:00", "2025-11-24 10:00"])
def test_a_quote_dated_before_its_inquiry_is_zero_days_and_on_time(facts_of, quoted: str) -> None:
    """A quote dated before its inquiry (a typo, a clock) counts as same-day: 0 business days, never negative, SLA met."""
    f = turnaround(facts_of, "2026-11-24 10:00", quoted)
    assert (f.quote_business_days, f.quote_sla_met) == (0, True)


def test_the_first_quote_decides_turnaround(facts_of) -> None:
    """A revised quote counts once: the first quote decides turnaround."""
    f = facts_of(
        [inquiry("A", requested_for="2026-12-20")],
        [
            event("A", "2026-11-02 15:00", "quote_sent", amount_jpy=5000),
            event("A", "2026-11-03 10:00", "customer_reply"),
            event("A", "2026-11-09 12:00", "quote_sent", amount_jpy=6000),
        ],
    ).loc["A"]
    assert (f.quotes_sent, str(f.first_quote_at), f.quote_business_days, f.quote_sla_met) == (
        2,
        "2026-11-02 15:00:00",
        0,
        True,
    )


def test_not_quoted_has_no_turnaround(facts_of) -> None:
    """Without a quote there are no business days to count (null) and no SLA verdict."""
    f = facts_of([inquiry("A", requested_for="2026-12-20")]).loc["A"]
    assert (f.quoted, f.quote_sla_met) == (False, False)
    assert pd.isna(f.quote_business_days)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-11-24 10:00", "2026-11-26"),  # Tue → Thu
        ("2026-11-20 10:00", "2026-11-25"),  # Fri → Tue 24, Wed 25 (Mon 23 is a holiday)
        ("2026-11-21 10:00", "2026-11-25"),  # Sat: the same
        ("2026-11-23 10:00", "2026-11-25"),  # received on the holiday
        ("2026-12-28 10:00", "2027-01-05"),  # before the closure: 01-04, 01-05
        ("2026-12-31 10:00", "2027-01-05"),  # during the closure
    ],
)
def test_quote_due_date_is_the_last_day_on_time(facts_of, received: str, due: str) -> None:
    """quote_due_date is the quote_sla_business_days-th business day after the received date."""
    f = facts_of([inquiry("A", received, requested_for="2027-03-01")], as_of=LATER).loc["A"]
    assert f.quote_due_date == pd.Timestamp(due)
    on_due = turnaround(facts_of, received, f"{due} 18:00")
    day_after = turnaround(
        facts_of, received, f"{next_business_day(date.fromisoformat(due), load_settings())} 09:00"
    )
    assert (on_due.quote_sla_met, day_after.quote_sla_met) == (True, False)


def test_sla_days_come_from_the_settings(facts_of) -> None:
    """With quote_sla_business_days = 4 a quote on the 4th business day is on time and due on that day."""
    f = turnaround(facts_of, "2026-11-24 10:00", "2026-11-30 09:00", quote_sla_business_days=4)
    assert (f.quote_business_days, f.quote_sla_met, f.quote_due_date) == (
        4,
        True,
        pd.Timestamp("2026-11-30"),
    )


def test_holiday_calendar() -> None:
    """Substitute and in-between holidays and the closure are not business days; an ordinary Tuesday is."""
    s = load_settings()
    assert not is_business_day(date(2026, 5, 6), s)  # substitute holiday
    assert not is_business_day(date(2026, 9, 22), s)  # in-between holiday
    assert not is_business_day(date(2026, 11, 23), s)  # Labour Thanksgiving Day
    assert not is_business_day(date(2026, 12, 30), s)  # New-Year closure
    assert not is_business_day(date(2027, 1, 3), s)
    assert not is_business_day(date(2026, 11, 21), s)  # Saturday
    assert is_business_day(date(2026, 11, 24), s)
    assert is_business_day(date(2026, 12, 28), s)
    assert is_business_day(date(2027, 1, 4), s)
