"""Rule 4, silent after the quote: contact within silence_days, the judged boundary, returning after silence.

Rows go straight into an in-memory database, no loader. AS_OF is Tuesday 2026-11-24 (end of day =
2026-11-25 00:00); inquiries are received on Monday 2026-11-02, requested far ahead; silence_days is 7.
"""

from __future__ import annotations

import pytest

from pipelines.settings import load_settings
from tests.conftest import event, inquiry

FAR = "2026-12-20"


def test_the_quote_is_judged_exactly_silence_days_after_it(facts_of) -> None:
    """A quote is judged once first_quote_at + silence_days is before the end of A: 11-17 23:59 is, 11-18 00:00 is not."""
    f = facts_of(
        [inquiry("JUDGED", requested_for=FAR), inquiry("YOUNG", requested_for=FAR)],
        [
            event("JUDGED", "2026-11-17 23:59", "quote_sent"),  # +7 days = 11-24 23:59
            event("YOUNG", "2026-11-18 00:00", "quote_sent"),  # +7 days = 11-25 00:00
        ],
    )
    assert (f.loc["JUDGED"].quote_judged, f.loc["JUDGED"].silent, f.loc["JUDGED"].status) == (
        True,
        True,
        "silent",
    )
    assert list(f.loc["JUDGED"].reason_codes) == ["SILENT_AFTER_QUOTE"]
    assert (f.loc["YOUNG"].quote_judged, f.loc["YOUNG"].silent, f.loc["YOUNG"].status) == (
        False,
        False,
        "open",
    )
    assert list(f.loc["YOUNG"].reason_codes) == ["AWAITING_CUSTOMER"]


@pytest.mark.parametrize(
    ("reply_at", "contacted"),
    [
        ("2026-11-10 10:01", True),  # a minute after the quote
        ("2026-11-17 10:00", True),  # exactly first_quote_at + silence_days: still contact
        ("2026-11-17 10:01", False),  # a minute later: too late, the inquiry is silent
        ("2026-11-10 10:00", False),  # at the very moment of the quote: not after it
        ("2026-11-09 18:00", False),  # before the quote
    ],
)
def test_contact_is_a_customer_event_within_silence_days_after_the_quote(
    facts_of, reply_at: str, contacted: bool
) -> None:
    """contacted_after_quote: a customer-side event with first_quote_at < event_at ≤ first_quote_at + silence_days."""
    f = facts_of(
        [inquiry("A", requested_for=FAR)],
        [event("A", "2026-11-10 10:00", "quote_sent"), event("A", reply_at, "customer_reply")],
    ).loc["A"]
    assert (f.contacted_after_quote, f.silent) == (contacted, not contacted)
    assert f.status == ("open" if contacted else "silent")


@pytest.mark.parametrize(
    ("kind", "counts"),
    [
        ("customer_reply", True),
        ("contract_requested", True),
        ("customer_declined", True),
        ("staff_work", False),
        ("quote_sent", False),
    ],
)
def test_only_customer_side_events_are_contact(facts_of, kind: str, counts: bool) -> None:
    """Customer-side events break the silence; our own work and a second quote do not."""
    f = facts_of(
        [inquiry("A", requested_for=FAR)],
        [event("A", "2026-11-10 10:00", "quote_sent"), event("A", "2026-11-12 10:00", kind)],
    ).loc["A"]
    assert f.contacted_after_quote == counts


def test_the_first_quote_starts_the_silence_clock(facts_of) -> None:
    """A revised quote does not restart the clock: silence is measured from the first quote."""
    f = facts_of(
        [inquiry("A", requested_for=FAR)],
        [
            event("A", "2026-11-10 10:00", "quote_sent"),
            event("A", "2026-11-20 10:00", "quote_sent"),
        ],
    ).loc["A"]
    assert (str(f.first_quote_at), f.quotes_sent, f.silent, f.status) == (
        "2026-11-10 10:00:00",
        2,
        True,
        "silent",
    )


def test_an_inquiry_never_quoted_is_never_silent(facts_of) -> None:
    """Without a quote there is nothing to be silent after."""
    f = facts_of([inquiry("A", requested_for=FAR)]).loc["A"]
    assert (f.quoted, f.quote_judged, f.silent, f.status) == (False, False, False, "open")


def test_returning_after_silence_is_kept_as_a_fact(facts_of) -> None:
    """A customer who writes again after silence_days stays silent, with returned_after_silence set."""
    f = facts_of(
        [inquiry("BACK", requested_for=FAR), inquiry("GONE", requested_for=FAR)],
        [
            event("BACK", "2026-11-02 15:00", "quote_sent"),
            event("BACK", "2026-11-20 10:00", "customer_reply"),
            event("GONE", "2026-11-02 15:00", "quote_sent"),
        ],
    )
    back, gone = f.loc["BACK"], f.loc["GONE"]
    assert (back.silent, back.returned_after_silence, back.status) == (True, True, "silent")
    assert list(back.reason_codes) == ["SILENT_AFTER_QUOTE"]
    assert (gone.silent, gone.returned_after_silence) == (True, False)


def test_a_contact_within_the_window_is_not_a_return(facts_of) -> None:
    """A customer who replied in time and again later is not silent, so never returned_after_silence."""
    f = facts_of(
        [inquiry("A", requested_for=FAR)],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-04 10:00", "customer_reply"),
            event("A", "2026-11-20 10:00", "customer_reply"),
        ],
    ).loc["A"]
    assert (f.silent, f.returned_after_silence, f.status) == (False, False, "open")


def test_a_decline_after_silence_is_declined_and_still_counted_silent(facts_of) -> None:
    """A customer who says no after silence_days is declined_by_customer; the silent flag stays for the rate."""
    f = facts_of(
        [inquiry("A", requested_for=FAR)],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", "2026-11-20 10:00", "customer_declined"),
        ],
    ).loc["A"]
    assert (f.status, list(f.reason_codes), f.silent) == (
        "declined_by_customer",
        ["DECLINED_BY_CUSTOMER"],
        True,
    )


def test_silence_days_comes_from_the_settings(facts_of) -> None:
    """With silence_days = 9 a quote of 11-16 is not judged yet on 11-24, and a reply on day 9 is contact."""
    settings = load_settings().with_overrides({"silence_days": 9})
    f = facts_of(
        [inquiry("YOUNG", requested_for=FAR), inquiry("DAY9", requested_for=FAR)],
        [
            event("YOUNG", "2026-11-16 10:00", "quote_sent"),
            event("DAY9", "2026-11-02 10:00", "quote_sent"),
            event("DAY9", "2026-11-11 10:00", "customer_reply"),
        ],
        settings=settings,
    )
    assert (f.loc["YOUNG"].quote_judged, f.loc["YOUNG"].status) == (False, "open")
    assert (f.loc["DAY9"].contacted_after_quote, f.loc["DAY9"].status) == (True, "open")
