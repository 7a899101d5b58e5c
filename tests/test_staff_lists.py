"""Staff lists for day A (SPEC): golden tests at each list's edges, and the report's sizes of them.

N is the first business day after A. Rows go straight into an in-memory database, no loader.
November 2026: Thu 19, Fri 20, Sat 21, Sun 22, Mon 23 (Labour Thanksgiving Day), Tue 24.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
import pytest

import pipelines
from pipelines.vocabulary import STAFF_LIST_REPORT_KEYS, STAFF_LISTS
from tests.conftest import assert_rows, event, inquiry, memory_db


def lists_on(
    day: date, inquiries: list[dict], events: Iterable[dict] = (), **overrides: object
) -> dict[str, pd.DataFrame]:
    con = memory_db(inquiries, events)
    try:
        return pipelines.staff_lists(con, day, overrides=overrides or None)
    finally:
        con.close()


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["inquiry_id"])


def quoted_and_replied(inquiry_id: str) -> list[dict]:
    """A quote on 11-02 and the customer's reply the next day: open, never silent."""
    return [
        event(inquiry_id, "2026-11-02 15:00", "quote_sent"),
        event(inquiry_id, "2026-11-03 10:00", "customer_reply"),
    ]


def signed(inquiry_id: str, at: str = "2026-11-05 10:00") -> list[dict]:
    """Quoted, replied and signed in time: contracted (for a call 3 or more days after `at`)."""
    return [*quoted_and_replied(inquiry_id), event(inquiry_id, at, "contract_signed")]


# Open inquiries whose last day to sign (requested date − 3) falls on Thu 11-19 … Tue 11-24.
SIGN_BY = {
    "THU": "2026-11-22",  # last day to sign Thu 11-19
    "FRI": "2026-11-23",  # Fri 11-20
    "SAT": "2026-11-24",  # Sat 11-21
    "SUN": "2026-11-25",  # Sun 11-22
    "MON": "2026-11-26 14:00",  # Mon 11-23, a public holiday
    "TUE": "2026-11-27",  # Tue 11-24, the next business day after Friday
}
SIGN_BY_ROWS = [inquiry(i, requested_for=r) for i, r in SIGN_BY.items()]
SIGN_BY_EVENTS = [e for i in SIGN_BY for e in quoted_and_replied(i)]


def test_friday_before_a_monday_holiday_shows_every_deadline_up_to_tuesday() -> None:
    """On Friday 11-20 (N = Tue 11-24) the sign-by list holds the deadlines of Fri, Sat, Sun and the Monday holiday."""
    lists = lists_on(date(2026, 11, 20), SIGN_BY_ROWS, SIGN_BY_EVENTS)
    assert_rows(
        lists["sign_by"],
        [
            {"inquiry_id": "FRI", "sign_by_date": pd.Timestamp("2026-11-20")},
            {"inquiry_id": "SAT", "sign_by_date": pd.Timestamp("2026-11-21")},
            {"inquiry_id": "SUN", "sign_by_date": pd.Timestamp("2026-11-22")},
            {"inquiry_id": "MON", "sign_by_date": pd.Timestamp("2026-11-23")},
        ],
    )


def test_thursday_shows_only_its_own_deadline() -> None:
    """On Thursday 11-19 (N = Fri 11-20) only Thursday's deadline is on the list; the weekend's wait for Friday."""
    assert ids(lists_on(date(2026, 11, 19), SIGN_BY_ROWS, SIGN_BY_EVENTS)["sign_by"]) == ["THU"]


@pytest.mark.parametrize(
    ("day", "listed"),
    [
        (date(2026, 11, 26), False),  # Thu: N = Fri 11-27, the deadline is later
        (date(2026, 11, 27), True),  # Fri: N = Mon 11-30
        (date(2026, 11, 28), True),  # Sat
        (date(2026, 11, 29), True),  # Sun: the deadline itself
        (date(2026, 11, 30), False),  # Mon: too late, the inquiry has expired
    ],
)
def test_a_deadline_on_a_sunday(day: date, listed: bool) -> None:
    """A last day to sign on Sunday 11-29 shows from the Friday before through the Sunday itself."""
    lists = lists_on(day, [inquiry("A", requested_for="2026-12-02")], quoted_and_replied("A"))
    assert ids(lists["sign_by"]) == (["A"] if listed else [])


def test_sign_by_holds_open_and_incomplete_and_shows_what_is_missing() -> None:
    """Incomplete inquiries are on the sign-by list with their missing fields; other statuses are not."""
    lists = lists_on(
        date(2026, 11, 24),
        [
            inquiry("OPEN", requested_for="2026-11-27"),
            inquiry("INCOMPLETE", requested_for="2026-11-27", customer_address=" "),
            inquiry("SILENT", requested_for="2026-11-27"),
            inquiry("SIGNED", requested_for="2026-11-27"),
        ],
        [
            *quoted_and_replied("OPEN"),
            *quoted_and_replied("INCOMPLETE"),
            event("SILENT", "2026-11-02 15:00", "quote_sent"),
            *signed("SIGNED"),
        ],
    )
    assert_rows(
        lists["sign_by"],
        [
            {
                "inquiry_id": "INCOMPLETE",
                "status": "incomplete",
                "missing_fields": ["customer_address"],
            },
            {"inquiry_id": "OPEN", "status": "open", "missing_fields": []},
        ],
        key="inquiry_id",
    )


@pytest.mark.parametrize(
    ("day", "listed", "overdue"),
    [
        (
            date(2026, 11, 24),
            False,
            None,
        ),  # the quote is due Wed 11-25 (received Fri, Mon a holiday)
        (date(2026, 11, 25), True, False),  # due today
        (date(2026, 11, 26), True, True),  # overdue
    ],
)
def test_quote_due_today_or_overdue(day: date, listed: bool, overdue: bool | None) -> None:
    """Quotes due lists unquoted open inquiries whose quote_due_date ≤ A, overdue when quote_due_date < A."""
    lists = lists_on(day, [inquiry("A", "2026-11-20 10:00", requested_for="2026-12-20")])
    if listed:
        assert_rows(
            lists["quote_due"],
            [{"inquiry_id": "A", "quote_due_date": pd.Timestamp("2026-11-25"), "overdue": overdue}],
        )
    else:
        assert ids(lists["quote_due"]) == []


def test_quotes_due_lists_the_overdue_first_and_leaves_out_the_quoted() -> None:
    """Overdue quotes come before those due today; a quoted inquiry is not on the list."""
    lists = lists_on(
        date(2026, 11, 25),
        [
            inquiry("TODAY", "2026-11-20 10:00", requested_for="2026-12-20"),
            inquiry("OVERDUE", "2026-11-18 10:00", requested_for="2026-12-20"),
            inquiry("QUOTED", "2026-11-18 10:00", requested_for="2026-12-20"),
            inquiry("INCOMPLETE", "2026-11-18 10:00", requested_for="2026-12-20", target_phone=""),
        ],
        [event("QUOTED", "2026-11-24 10:00", "quote_sent")],
    )
    assert_rows(
        lists["quote_due"],
        [
            {"inquiry_id": "INCOMPLETE", "overdue": True},
            {"inquiry_id": "OVERDUE", "overdue": True},
            {"inquiry_id": "TODAY", "overdue": False},
        ],
    )


FOLLOW_UP = {
    # inquiry: (first quote, customer reply or None) — A is Tue 11-24, follow_up_days 3, silence_days 7
    "DAY3": ("2026-11-21 10:00", None),  # date(quote) + 3 = A: in
    "DAY2": ("2026-11-22 10:00", None),  # one day less: out
    "YOUNGEST_UNJUDGED": ("2026-11-18 00:00", None),  # + 7 days = 11-25 00:00, not judged: in
    "JUDGED": ("2026-11-17 23:59", None),  # + 7 days is before the end of A: silent, out
    "CONTACTED": ("2026-11-20 10:00", "2026-11-21 09:00"),  # the customer replied: out
}


@pytest.mark.slow
def test_follow_up_window_edges() -> None:
    """Follow up: quoted, no contact, not yet judged, and date(first quote) + follow_up_days ≤ A."""
    events = []
    for inquiry_id, (quote_at, reply_at) in FOLLOW_UP.items():
        events.append(event(inquiry_id, quote_at, "quote_sent"))
        if reply_at:
            events.append(event(inquiry_id, reply_at, "customer_reply"))
    lists = lists_on(
        date(2026, 11, 24),
        [inquiry(i, "2026-11-16 10:00", requested_for="2026-12-20") for i in FOLLOW_UP],
        events,
    )
    assert_rows(
        lists["follow_up"],
        [
            {
                "inquiry_id": "DAY3",
                "days_since_quote": 3,
                "silent_after_date": pd.Timestamp("2026-11-28"),
            },
            {
                "inquiry_id": "YOUNGEST_UNJUDGED",
                "days_since_quote": 6,
                "silent_after_date": pd.Timestamp("2026-11-25"),
            },
        ],
        key="inquiry_id",
    )


def test_follow_up_days_come_from_the_settings() -> None:
    """With follow_up_days = 2 a quote two days old is due a reminder."""
    lists = lists_on(
        date(2026, 11, 24),
        [inquiry("A", "2026-11-16 10:00", requested_for="2026-12-20")],
        [event("A", "2026-11-22 10:00", "quote_sent")],
        follow_up_days=2,
    )
    assert ids(lists["follow_up"]) == ["A"]


UPCOMING = {
    "TODAY": "2026-11-24",  # A itself: eligible, not upcoming
    "DAY1": "2026-11-25 10:00",
    "DAY14": "2026-12-08 18:00",  # A + upcoming_days: in
    "DAY15": "2026-12-09",  # out
}


def test_upcoming_calls_day_14_in_and_day_15_out() -> None:
    """Upcoming: contracted (or against the rules) with A < requested date ≤ A + upcoming_days."""
    lists = lists_on(
        date(2026, 11, 24),
        [
            *[inquiry(i, requested_for=r) for i, r in UPCOMING.items()],
            inquiry("AGAINST", requested_for="2026-11-30", customer_name=""),
        ],
        [e for i in [*UPCOMING, "AGAINST"] for e in signed(i)],
    )
    assert_rows(
        lists["upcoming"],
        [
            {"inquiry_id": "DAY1", "status": "contracted"},
            {"inquiry_id": "AGAINST", "status": "contracted_against_rules"},
            {"inquiry_id": "DAY14", "status": "contracted"},
        ],
    )
    assert ids(lists["eligible"]) == ["TODAY"]


def test_eligible_and_attention_split_the_calls_of_the_day() -> None:
    """Calls on day A: contracted ones are eligible; contracted_against_rules need attention, with their reasons;
    cancelled ones and calls on other days are on neither list."""
    lists = lists_on(
        date(2026, 11, 24),
        [
            inquiry("OK", requested_for="2026-11-24 10:00"),
            inquiry("LATE", requested_for="2026-11-24 15:00"),
            inquiry("NO_QUOTE", requested_for="2026-11-24"),
            inquiry("CANCELLED", requested_for="2026-11-24"),
            inquiry("TOMORROW", requested_for="2026-11-25"),
        ],
        [
            *signed("OK", "2026-11-21 10:00"),
            *signed("LATE", "2026-11-22 10:00"),
            event("NO_QUOTE", "2026-11-05 10:00", "contract_signed"),
            *signed("CANCELLED"),
            event("CANCELLED", "2026-11-06 10:00", "cancelled"),
            *signed("TOMORROW"),
        ],
    )
    assert_rows(lists["eligible"], [{"inquiry_id": "OK", "reason_codes": ["CONTRACT_SIGNED"]}])
    assert_rows(
        lists["attention"],
        [
            {
                "inquiry_id": "NO_QUOTE",
                "reason_codes": ["NO_PRIOR_QUOTE"],
                "contract_lead_days": 19,
            },
            {"inquiry_id": "LATE", "reason_codes": ["LATE_CONTRACT"], "contract_lead_days": 2},
        ],
    )


def test_an_inquiry_can_be_on_two_lists() -> None:
    """An unquoted open inquiry whose last day to sign is today is on both sign-by and quotes due."""
    lists = lists_on(
        date(2026, 11, 24), [inquiry("A", "2026-11-18 10:00", requested_for="2026-11-27")]
    )
    assert (ids(lists["sign_by"]), ids(lists["quote_due"])) == (["A"], ["A"])


@pytest.mark.slow
def test_report_sizes_equal_the_lists() -> None:
    """report's *_today / upcoming_calls / quote_overdue are the sizes of the lists for A, whatever the period."""
    rows = [
        *SIGN_BY_ROWS,
        inquiry("DUE", "2026-11-18 10:00", requested_for="2026-12-20"),
        inquiry("DUE_TODAY", "2026-11-20 10:00", requested_for="2026-12-20"),
        inquiry("FOLLOW", "2026-11-16 10:00", requested_for="2026-12-20"),
        *[inquiry(i, requested_for=r) for i, r in UPCOMING.items()],
    ]
    events = [
        *SIGN_BY_EVENTS,
        event("FOLLOW", "2026-11-20 10:00", "quote_sent"),
        *[e for i in UPCOMING for e in signed(i)],
    ]
    con = memory_db(rows, events)
    try:
        for day in (date(2026, 11, 20), date(2026, 11, 24), date(2026, 11, 25)):
            lists = pipelines.staff_lists(con, day)
            report = pipelines.report(con, day, start=day, end=day)
            assert {key: report[key] for key in STAFF_LIST_REPORT_KEYS.values()} == {
                STAFF_LIST_REPORT_KEYS[name]: len(lists[name]) for name in STAFF_LISTS
            }
            assert report["quote_overdue"] == int(lists["quote_due"]["overdue"].sum())
        assert report["quote_due_today"] == 2
        assert report["quote_overdue"] == 1
        assert report["follow_up_today"] == 1
    finally:
        con.close()
