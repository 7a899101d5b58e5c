"""Headline metrics, aggregates, money, people, maturity and what-if: tiny inputs, golden outputs.

Rows go straight into an in-memory database, no loader. Each test builds a handful of inquiries whose
every figure can be worked out by hand; the expected values say how. AS_OF is Tuesday 2026-11-24.
November 2026: Mon 2, Tue 3 (Culture Day), … Mon 16, … Mon 23 (Labour Thanksgiving Day), Tue 24.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pandas as pd
import pytest

import pipelines
from pipelines.metrics import REPORT_METRICS
from pipelines.settings import load_settings
from tests.conftest import AS_OF, assert_rows, event, inquiry, memory_db

T = pd.Timestamp
FAR = "2026-12-20"


def db(inquiries: list[dict], events: list[dict] = (), **overrides: object):
    settings = load_settings().with_overrides(overrides) if overrides else None
    return memory_db(inquiries, events, settings)


# Five inquiries, one of each outcome (minutes = the inquiry's own + its events'):
HEADLINE_INQUIRIES = [
    # contracted: quoted the same day, replied, signed — 10 + 5 + 5 + 5 = 25 min
    inquiry("C", "2026-11-02 10:00", requested_for="2026-11-30", staff_minutes=10),
    # silent: quoted Fri 11-06 = 3 business days (Wed 4, Thu 5, Fri 6; Tue 3 is a holiday) — 10 + 20 = 30
    inquiry("S", "2026-11-02 10:00", requested_for=FAR, staff_minutes=10),
    # rejected_urgent: one day's notice, never quoted — 15
    inquiry("U", "2026-11-10 10:00", requested_for="2026-11-11", staff_minutes=15),
    # open: quoted 11-20, not judged until 11-27 — 10 + 5 = 15
    inquiry("O", "2026-11-20 10:00", requested_for=FAR, staff_minutes=10),
    # declined_by_customer: quoted, declined the next day (contact, so not silent) — 10 + 5 + 5 = 20
    inquiry("D", "2026-11-16 10:00", requested_for=FAR, staff_minutes=10),
]
HEADLINE_EVENTS = [
    event("C", "2026-11-02 15:00", "quote_sent"),
    event("C", "2026-11-03 10:00", "customer_reply"),
    event("C", "2026-11-10 10:00", "contract_signed"),
    event("S", "2026-11-06 10:00", "quote_sent", minutes=20),
    event("O", "2026-11-20 16:00", "quote_sent"),
    event("D", "2026-11-16 15:00", "quote_sent"),
    event("D", "2026-11-17 10:00", "customer_declined"),
]


@pytest.fixture
def headline_db() -> Iterator[duckdb.DuckDBPyConnection]:
    con = db(HEADLINE_INQUIRIES, HEADLINE_EVENTS)
    yield con
    con.close()


def test_period_metrics_all(headline_db: duckdb.DuckDBPyConnection) -> None:
    """period_metrics 'all': counts, rates, non-converting staff time and its cost at hourly_cost_jpy."""
    frame = pd.DataFrame([pipelines.headline(headline_db, AS_OF)])
    assert_rows(
        frame,
        [
            {
                "inquiries": 5,
                "quoted": 4,  # C, S, O, D
                "converted": 1,  # C
                "conversion_rate": 1 / 5,
                "judged_quotes": 3,  # C, S, D (O's quote is 4 days old)
                "silent": 1,  # S
                "silent_after_quote_rate": 1 / 3,
                "urgent_requests": 1,  # U
                "urgent_share": 1 / 5,
                "nonconverting_inquiries": 3,  # S, U, D
                "staff_minutes_nonconverting": 65,  # 30 + 15 + 20
                "staff_minutes_per_nonconverting_inquiry": 65 / 3,
                "staff_cost_jpy_nonconverting": 65 * 2000 / 60,
                "staff_minutes_total": 25 + 30 + 15 + 15 + 20,
                "quote_sla_met": 3,  # all but S
                "quote_sla_rate": 3 / 4,
                "unsettled_inquiries": 1,  # O
                "mature": False,  # 1 of 5 still open
            }
        ],
    )


def test_report_is_the_all_row_with_the_spec_keys(headline_db: duckdb.DuckDBPyConnection) -> None:
    """report() gives period_metrics 'all' under the SPEC's keys: integer counts, fractions, status counts."""
    report = pipelines.report(headline_db, AS_OF)
    assert {m.name: report[m.name] for m in REPORT_METRICS} == {
        "inquiries": 5,
        "quoted": 4,
        "converted": 1,
        "conversion_rate": 0.2,
        "judged_quotes": 3,
        "silent": 1,
        "silent_after_quote_rate": 1 / 3,
        "urgent_requests": 1,
        "nonconverting_inquiries": 3,
        "staff_minutes_nonconverting": 65,
        "staff_minutes_per_nonconverting_inquiry": 65 / 3,
        "quote_sla_rate": 0.75,
        "contracted_amount_jpy": 0,  # no amounts in this data
    }
    assert report["status_counts"] == {
        "contracted": 1,
        "declined_by_customer": 1,
        "open": 1,
        "rejected_urgent": 1,
        "silent": 1,
    }
    assert (report["as_of"], report["quarantined_rows"]) == ("2026-11-24", 0)


def test_a_period_limits_the_inquiries_by_date_received(
    headline_db: duckdb.DuckDBPyConnection,
) -> None:
    """--from/--to select inquiries received in [from, to]: 11-10 … 11-16 holds U and D."""
    report = pipelines.report(headline_db, AS_OF, start="2026-11-10", end="2026-11-16")
    assert (report["inquiries"], report["nonconverting_inquiries"], report["status_counts"]) == (
        2,
        2,
        {"declined_by_customer": 1, "rejected_urgent": 1},
    )


def test_an_empty_period_has_zero_counts_and_null_rates(
    headline_db: duckdb.DuckDBPyConnection,
) -> None:
    """A period with no inquiries: counts 0, every rate null (no denominator), no statuses."""
    report = pipelines.report(headline_db, AS_OF, start="2030-01-01")
    assert report["inquiries"] == report["quoted"] == report["contracted_amount_jpy"] == 0
    assert report["conversion_rate"] is None
    assert report["silent_after_quote_rate"] is None
    assert report["quote_sla_rate"] is None
    assert report["staff_minutes_per_nonconverting_inquiry"] is None
    assert report["status_counts"] == {}


def test_period_metrics_week_starts_on_monday_and_keeps_empty_weeks() -> None:
    """period_metrics 'week': Monday-start weeks by date received; a week with no inquiries is a row of zeros."""
    con = db(
        [
            inquiry("MON", "2026-11-02 09:00", requested_for=FAR),
            inquiry("SUN", "2026-11-08 23:59", requested_for=FAR),  # still the week of Mon 11-02
            inquiry("NEXT_MON", "2026-11-16 00:00", requested_for="2026-11-17"),  # urgent
        ]
    )
    try:
        frame = pipelines.metrics_by(con, "W", AS_OF)
    finally:
        con.close()
    assert_rows(
        frame,
        [
            {
                "period_start": T("2026-11-02"),
                "inquiries": 2,
                "urgent_requests": 0,
                "urgent_share": 0.0,
            },
            {
                "period_start": T("2026-11-09"),
                "inquiries": 0,
                "urgent_requests": 0,
                "urgent_share": None,
            },
            {
                "period_start": T("2026-11-16"),
                "inquiries": 1,
                "urgent_requests": 1,
                "urgent_share": 1.0,
            },
        ],
    )
    assert frame.loc[1, ["conversion_rate", "quote_sla_rate"]].isna().all()


def test_period_metrics_month_keeps_empty_months() -> None:
    """period_metrics 'month': calendar months by date received, empty months included."""
    con = db(
        [
            inquiry("SEP", "2026-09-30 23:00", requested_for="2026-12-01"),
            inquiry("NOV1", "2026-11-01 00:30", requested_for=FAR),
            inquiry("NOV24", "2026-11-24 12:00", requested_for=FAR),
        ]
    )
    try:
        frame = pipelines.metrics_by(con, "M", AS_OF)
    finally:
        con.close()
    assert_rows(
        frame,
        [
            {"period_start": T("2026-09-01"), "inquiries": 1},
            {"period_start": T("2026-10-01"), "inquiries": 0},
            {"period_start": T("2026-11-01"), "inquiries": 2},
        ],
    )


def test_metrics_by_rejects_an_unknown_frequency(headline_db: duckdb.DuckDBPyConnection) -> None:
    """Only days ('D', the Overview's fallback for short ranges), weeks ('W') and months ('M')."""
    with pytest.raises(ValueError, match="freq must be"):
        pipelines.metrics_by(headline_db, "Y", AS_OF)


def test_funnel_counts_each_step_and_every_step_before_it() -> None:
    """funnel: inquiries → quoted → customer replied → contract requested → contracted, with shares."""
    quote = ("2026-11-02 15:00", "quote_sent")
    steps = {
        "NONE": [],
        "QUOTED": [quote],
        "REPLIED": [quote, ("2026-11-03 10:00", "customer_reply")],
        "REQUESTED": [quote, ("2026-11-04 10:00", "contract_requested")],  # no reply first
        "SIGNED": [quote, ("2026-11-05 10:00", "contract_signed")],  # no reply, no request
        "UNQUOTED_SIGNED": [("2026-11-05 10:00", "contract_signed")],  # never quoted: stops at 1
    }
    con = db(
        [inquiry(i, requested_for="2026-11-30") for i in steps],
        [event(i, at, kind) for i, evs in steps.items() for at, kind in evs],
    )
    try:
        frame = pipelines.funnel(con, AS_OF)
    finally:
        con.close()
    assert_rows(
        frame,
        [
            {
                "step": 1,
                "stage": "inquiries",
                "inquiries": 6,
                "share_of_previous": None,
                "share_of_first": 1.0,
            },
            {
                "step": 2,
                "stage": "quoted",
                "inquiries": 4,
                "share_of_previous": 4 / 6,
                "share_of_first": 4 / 6,
            },
            {
                "step": 3,
                "stage": "customer_replied",
                "inquiries": 3,
                "share_of_previous": 3 / 4,
                "share_of_first": 3 / 6,
            },
            {
                "step": 4,
                "stage": "contract_requested",
                "inquiries": 2,
                "share_of_previous": 2 / 3,
                "share_of_first": 2 / 6,
            },
            {
                "step": 5,
                "stage": "contracted",
                "inquiries": 1,
                "share_of_previous": 1 / 2,
                "share_of_first": 1 / 6,
            },
        ],
    )


def test_an_empty_funnel_has_null_shares() -> None:
    """With no inquiries every step is 0 and no share can be computed."""
    con = db([])
    try:
        frame = pipelines.funnel(con, AS_OF)
    finally:
        con.close()
    assert list(frame["inquiries"]) == [0] * 5
    assert frame["share_of_first"].isna().all()


STAFF_TIME_INQUIRIES = [
    inquiry("S1", requested_for=FAR, staff_minutes=10),  # silent: 10 + 20
    inquiry("S2", requested_for=FAR, staff_minutes=40),  # silent: 40 + 5
    inquiry("D", requested_for=FAR, staff_minutes=15),  # declined: 15 + 5 + 0
    inquiry("U", "2026-11-10 10:00", requested_for="2026-11-11", staff_minutes=15),  # urgent
    inquiry("OPEN", "2026-11-20 10:00", requested_for=FAR, staff_minutes=100),  # not counted
    inquiry("WON", requested_for="2026-11-30", staff_minutes=200),  # not counted
]
STAFF_TIME_EVENTS = [
    event("S1", "2026-11-02 15:00", "quote_sent", minutes=20),
    event("S2", "2026-11-02 15:00", "quote_sent"),
    event("D", "2026-11-02 15:00", "quote_sent"),
    event("D", "2026-11-03 10:00", "customer_declined", minutes=0),
    event("WON", "2026-11-02 15:00", "quote_sent"),
    event("WON", "2026-11-05 10:00", "contract_signed"),
]


@pytest.mark.parametrize("hourly_cost", [2000, 3000])
def test_staff_time_by_status_in_minutes_and_yen(hourly_cost: int) -> None:
    """staff_time_by_status: minutes and yen (at hourly_cost_jpy) per non-converting status, most minutes first."""
    con = db(STAFF_TIME_INQUIRIES, STAFF_TIME_EVENTS, hourly_cost_jpy=hourly_cost)
    try:
        frame = pipelines.staff_time_by_status(con, AS_OF)
    finally:
        con.close()

    def yen(minutes: int) -> float:
        return minutes * hourly_cost / 60

    assert_rows(
        frame,
        [
            {
                "status": "silent",
                "inquiries": 2,
                "staff_minutes": 75,
                "staff_cost_jpy": yen(75),
                "staff_minutes_per_inquiry": 37.5,
            },
            {
                "status": "declined_by_customer",
                "inquiries": 1,
                "staff_minutes": 20,
                "staff_cost_jpy": yen(20),
                "staff_minutes_per_inquiry": 20.0,
            },
            {
                "status": "rejected_urgent",
                "inquiries": 1,
                "staff_minutes": 15,
                "staff_cost_jpy": yen(15),
                "staff_minutes_per_inquiry": 15.0,
            },
        ],
    )


def test_staff_minutes_are_the_inquirys_own_plus_its_events_up_to_a(facts_of) -> None:
    """An inquiry's staff_minutes: its own plus those of all its events up to the end of A."""
    f = facts_of(
        [inquiry("A", staff_minutes=7, requested_for=FAR)],
        [
            event("A", "2026-11-02 15:00", "quote_sent", minutes=20),
            event("A", "2026-11-03 15:00", "staff_work", minutes=13),
            event("A", "2026-11-25 00:00", "staff_work", minutes=99),  # after A
        ],
    ).loc["A"]
    assert f.staff_minutes == 40


def test_status_counts() -> None:
    """status_counts: inquiries per status in the period, most first, then by name."""
    con = db(STAFF_TIME_INQUIRIES, STAFF_TIME_EVENTS)
    try:
        frame = pipelines.status_counts(con, AS_OF)
    finally:
        con.close()
    assert_rows(
        frame,
        [
            {"status": "silent", "inquiries": 2},
            {"status": "contracted", "inquiries": 1},
            {"status": "declined_by_customer", "inquiries": 1},
            {"status": "open", "inquiries": 1},
            {"status": "rejected_urgent", "inquiries": 1},
        ],
    )


def test_staff_performance() -> None:
    """Per staff member: quotes sent, first quotes (and on time), staff minutes on events, and conversions
    among the inquiries whose first quote they sent; events after A are not counted."""
    con = db(
        [
            inquiry("P1", requested_for="2026-11-30"),
            inquiry("P2", requested_for=FAR),
            inquiry("P3", "2026-11-10 10:00", requested_for=FAR),
            inquiry("P4", "2026-11-10 10:00", requested_for=FAR),
        ],
        [
            # 佐藤: P1's first quote (same day, converted), P2's first quote (Fri 11-06: 3 business days, late)
            event("P1", "2026-11-02 15:00", "quote_sent", minutes=10, staff="佐藤"),
            event("P1", "2026-11-03 10:00", "customer_reply", minutes=0),
            event("P1", "2026-11-05 10:00", "contract_signed", minutes=0),
            event("P2", "2026-11-06 10:00", "quote_sent", minutes=10, staff="佐藤"),
            # 鈴木: a revised quote on P2 and P3's first quote (on time)
            event("P2", "2026-11-07 10:00", "quote_sent", minutes=20, staff="鈴木"),
            event("P3", "2026-11-10 15:00", "quote_sent", minutes=15, staff="鈴木"),
            # 田中: staff work only
            event("P3", "2026-11-12 10:00", "staff_work", minutes=30, staff="田中"),
            # nobody named: P4's first quote
            event("P4", "2026-11-10 15:00", "quote_sent", minutes=5),
            # after A: not counted
            event("P3", "2026-11-25 10:00", "quote_sent", minutes=50, staff="佐藤"),
        ],
    )
    try:
        frame = pipelines.staff_performance(con, AS_OF)
    finally:
        con.close()
    assert_rows(
        frame,
        [
            {
                "staff": "鈴木",
                "quotes_sent": 2,
                "first_quotes": 1,
                "first_quotes_on_time": 1,
                "staff_minutes": 35,
                "conversions": 0,
                "conversion_rate": 0.0,
            },
            {
                "staff": "田中",
                "quotes_sent": 0,
                "first_quotes": 0,
                "first_quotes_on_time": 0,
                "staff_minutes": 30,
                "conversions": 0,
                "conversion_rate": None,
            },
            {
                "staff": "佐藤",
                "quotes_sent": 2,
                "first_quotes": 2,
                "first_quotes_on_time": 1,
                "staff_minutes": 20,
                "conversions": 1,
                "conversion_rate": 0.5,
            },
            {
                "staff": None,
                "quotes_sent": 1,
                "first_quotes": 1,
                "first_quotes_on_time": 1,
                "staff_minutes": 5,
                "conversions": 0,
                "conversion_rate": 0.0,
            },
        ],
    )


MONEY_INQUIRIES = [
    inquiry("REVISED", requested_for="2026-11-30"),
    inquiry("AGAINST", requested_for="2026-11-24"),
    inquiry("CANCELLED", requested_for="2026-11-30"),
    inquiry("OPEN", "2026-11-20 10:00", requested_for=FAR),
    inquiry("SAME_MINUTE", requested_for="2026-11-30"),
]
MONEY_EVENTS = [
    # contracted: quotes of 5,000 then 6,000 before the contract; a 7,000 revision after it is ignored
    event("REVISED", "2026-11-02 15:00", "quote_sent", amount_jpy=5000),
    event("REVISED", "2026-11-04 10:00", "quote_sent", amount_jpy=6000),
    event("REVISED", "2026-11-05 10:00", "contract_signed"),
    event("REVISED", "2026-11-06 10:00", "quote_sent", amount_jpy=7000),
    # contracted_against_rules (signed 2 days before the call): its 3,000 counts
    event("AGAINST", "2026-11-02 15:00", "quote_sent", amount_jpy=3000),
    event("AGAINST", "2026-11-22 10:00", "contract_signed"),
    # cancelled: 9,000 is not contracted money
    event("CANCELLED", "2026-11-02 15:00", "quote_sent", amount_jpy=9000),
    event("CANCELLED", "2026-11-05 10:00", "contract_signed"),
    event("CANCELLED", "2026-11-06 10:00", "cancelled"),
    # open: its latest quote up to the end of A is 2,000; one after A is not seen
    event("OPEN", "2026-11-20 15:00", "quote_sent", amount_jpy=2000),
    event("OPEN", "2026-11-25 09:00", "quote_sent", amount_jpy=9999),
    # a quote at the very minute of the contract is "at or before" it
    event("SAME_MINUTE", "2026-11-05 10:00", "quote_sent", amount_jpy=4000),
    event("SAME_MINUTE", "2026-11-05 10:00", "contract_signed"),
]


def test_quoted_amount_is_the_latest_quote_at_or_before_the_contract(facts_of) -> None:
    """An inquiry's quoted amount: its latest quote at or before its contract (or the end of A without one)."""
    f = facts_of(MONEY_INQUIRIES, MONEY_EVENTS)
    assert_rows(
        f.reset_index(),
        [
            {"inquiry_id": "REVISED", "status": "contracted", "quoted_amount_jpy": 6000},
            {
                "inquiry_id": "AGAINST",
                "status": "contracted_against_rules",
                "quoted_amount_jpy": 3000,
            },
            {"inquiry_id": "CANCELLED", "status": "cancelled", "quoted_amount_jpy": 9000},
            {"inquiry_id": "OPEN", "status": "open", "quoted_amount_jpy": 2000},
            {"inquiry_id": "SAME_MINUTE", "status": "contracted", "quoted_amount_jpy": 4000},
        ],
        key="inquiry_id",
    )


def test_contracted_amount_and_average_quote() -> None:
    """contracted_amount_jpy sums the quoted amounts of contracted and contracted_against_rules inquiries
    (6,000 + 3,000 + 4,000; cancelled excluded); average_quote_jpy averages every quoted amount."""
    con = db(MONEY_INQUIRIES, MONEY_EVENTS)
    try:
        headline = pipelines.headline(con, AS_OF)
        report = pipelines.report(con, AS_OF)
    finally:
        con.close()
    assert headline["contracted_amount_jpy"] == report["contracted_amount_jpy"] == 13_000
    assert type(report["contracted_amount_jpy"]) is int
    assert headline["average_quote_jpy"] == (6000 + 3000 + 9000 + 2000 + 4000) / 5


def _maturity_rows(week: str, closed: int, open_: int, incomplete: int) -> list[dict]:
    """closed rejected-urgent, open (unquoted, far ahead) and incomplete inquiries received on Monday `week`."""
    day = date.fromisoformat(week)
    urgent = f"{day.replace(day=day.day + 1)}"
    rows = [inquiry(f"{week}-C{n}", f"{week} 10:00", requested_for=urgent) for n in range(closed)]
    rows += [inquiry(f"{week}-O{n}", f"{week} 10:00", requested_for=FAR) for n in range(open_)]
    rows += [
        inquiry(f"{week}-I{n}", f"{week} 10:00", requested_for=FAR, customer_name="")
        for n in range(incomplete)
    ]
    return rows


def test_a_period_is_mature_when_at_most_5_percent_is_still_open_or_incomplete() -> None:
    """mature: open + incomplete ≤ 5 % of the period's inquiries (1 of 20 is; 2 of 20 and 1 of 19 are not)."""
    con = db(
        _maturity_rows("2026-11-02", closed=19, open_=1, incomplete=0)  # 1/20 = 5 %
        + _maturity_rows("2026-11-09", closed=18, open_=1, incomplete=1)  # 2/20 = 10 %
        + _maturity_rows("2026-11-16", closed=18, open_=1, incomplete=0)  # 1/19 ≈ 5.3 %
        + _maturity_rows("2026-11-23", closed=3, open_=0, incomplete=0)  # all settled
    )
    try:
        weeks = pipelines.metrics_by(con, "W", AS_OF)
        whole = pipelines.headline(con, AS_OF)
    finally:
        con.close()
    assert_rows(
        weeks,
        [
            {
                "period_start": T("2026-11-02"),
                "inquiries": 20,
                "unsettled_inquiries": 1,
                "mature": True,
            },
            {
                "period_start": T("2026-11-09"),
                "inquiries": 20,
                "unsettled_inquiries": 2,
                "mature": False,
            },
            {
                "period_start": T("2026-11-16"),
                "inquiries": 19,
                "unsettled_inquiries": 1,
                "mature": False,
            },
            {
                "period_start": T("2026-11-23"),
                "inquiries": 3,
                "unsettled_inquiries": 0,
                "mature": True,
            },
        ],
    )
    assert (whole["unsettled_inquiries"], whole["mature"]) == (4, False)  # 4 of 62


# What-if: as of Fri 11-20, min_lead_days 3 → 2 moves exactly three inquiries.
WHAT_IF_AS_OF = date(2026, 11, 20)
WHAT_IF_INQUIRIES = [
    inquiry("STEADY", "2026-11-18 10:00", requested_for="2026-11-24"),  # open under both
    inquiry("URGENT2", "2026-11-20 09:00", requested_for="2026-11-22"),  # 2 days: urgent → open
    inquiry("LATE_SIGN", requested_for="2026-11-20"),  # signed 2 days ahead: against → contracted
    inquiry(
        "EXPIRING", "2026-11-10 10:00", requested_for="2026-11-22"
    ),  # 2 days left: expired → open
    inquiry("SIGNED", requested_for="2026-11-30"),  # contracted under both
    inquiry("SILENT", requested_for=FAR),  # silent under both
]
WHAT_IF_EVENTS = [
    event("LATE_SIGN", "2026-11-02 15:00", "quote_sent"),
    event("LATE_SIGN", "2026-11-18 10:00", "contract_signed"),
    event("EXPIRING", "2026-11-10 15:00", "quote_sent"),
    event("EXPIRING", "2026-11-11 10:00", "customer_reply"),
    event("SIGNED", "2026-11-02 15:00", "quote_sent"),
    event("SIGNED", "2026-11-10 10:00", "contract_signed"),
    event("SILENT", "2026-11-02 15:00", "quote_sent"),
]


@pytest.fixture
def what_if_db() -> Iterator[duckdb.DuckDBPyConnection]:
    con = db(WHAT_IF_INQUIRIES, WHAT_IF_EVENTS)
    yield con
    con.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "overrides",
    [
        {"min_lead_days": 2},
        {"silence_days": 20, "quote_sla_business_days": 0},
        {"urgent_by_message": False, "follow_up_days": 1, "upcoming_days": 30},
        {"hourly_cost_jpy": 3000},
    ],
)
def test_overrides_equal_a_connection_prepared_with_those_settings(
    what_if_db: duckdb.DuckDBPyConnection, overrides: dict
) -> None:
    """Every figure under overrides equals the figure of a connection prepared with those settings."""
    before = pipelines.report(what_if_db, WHAT_IF_AS_OF)
    other = db(WHAT_IF_INQUIRIES, WHAT_IF_EVENTS, **overrides)
    try:
        for fn in (pipelines.report, pipelines.headline):
            assert fn(what_if_db, WHAT_IF_AS_OF, overrides=overrides) == fn(other, WHAT_IF_AS_OF)
        for fn in (pipelines.funnel, pipelines.staff_time_by_status, pipelines.staff_performance):
            pd.testing.assert_frame_equal(
                fn(what_if_db, WHAT_IF_AS_OF, overrides=overrides), fn(other, WHAT_IF_AS_OF)
            )
    finally:
        other.close()
    assert (
        pipelines.report(what_if_db, WHAT_IF_AS_OF) == before
    )  # the connection's settings are back


@pytest.mark.slow
def test_what_if_lists_exactly_the_inquiries_whose_status_moved(
    what_if_db: duckdb.DuckDBPyConnection,
) -> None:
    """what_if: the figures under today's and the changed settings side by side, and the inquiries that move."""
    figures, moved = pipelines.what_if(what_if_db, {"min_lead_days": 2}, WHAT_IF_AS_OF)
    current = pipelines.report(what_if_db, WHAT_IF_AS_OF)
    changed = pipelines.report(what_if_db, WHAT_IF_AS_OF, overrides={"min_lead_days": 2})
    assert_rows(
        figures,
        [
            {"metric": m.name, "current": current[m.name], "changed": changed[m.name]}
            for m in REPORT_METRICS
        ],
    )
    assert_rows(
        moved,
        [
            {
                "inquiry_id": "EXPIRING",
                "status_current": "expired",
                "reasons_current": ["TOO_LATE_TO_CONTRACT"],
                "status_changed": "open",
                "reasons_changed": ["AWAITING_CUSTOMER"],
            },
            {
                "inquiry_id": "LATE_SIGN",
                "status_current": "contracted_against_rules",
                "reasons_current": ["LATE_CONTRACT"],
                "status_changed": "contracted",
                "reasons_changed": ["CONTRACT_SIGNED"],
            },
            {
                "inquiry_id": "URGENT2",
                "status_current": "rejected_urgent",
                "reasons_current": ["SHORT_NOTICE"],
                "status_changed": "open",
                "reasons_changed": ["AWAITING_QUOTE"],
            },
        ],
        key="inquiry_id",
    )


def test_what_if_respects_the_period(what_if_db: duckdb.DuckDBPyConnection) -> None:
    """Only inquiries received in the period are listed as moving."""
    _figures, moved = pipelines.what_if(
        what_if_db, {"min_lead_days": 2}, WHAT_IF_AS_OF, start="2026-11-10", end="2026-11-19"
    )
    assert list(moved["inquiry_id"]) == ["EXPIRING"]


def test_what_if_with_no_change_moves_nothing(what_if_db: duckdb.DuckDBPyConnection) -> None:
    """Overrides equal to the settings move no inquiry and change no figure."""
    figures, moved = pipelines.what_if(what_if_db, {"min_lead_days": 3}, WHAT_IF_AS_OF)
    assert moved.empty
    assert figures["current"].equals(figures["changed"])
