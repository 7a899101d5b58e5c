"""Status: the first that matches, in the SPEC's order, with exactly the reason codes of the SPEC's table.

Rows go straight into an in-memory database, no loader. AS_OF is Tuesday 2026-11-24; inquiries are
received on Monday 2026-11-02 unless stated.
"""

from __future__ import annotations

import pytest

from pipelines.vocabulary import STATUS_REASONS, STATUSES
from tests.conftest import event, inquiry

FAR = "2026-12-20"
QUOTE = ("2026-11-02 15:00", "quote_sent")
REPLY = ("2026-11-03 10:00", "customer_reply")
SIGN = ("2026-11-10 10:00", "contract_signed")

# One inquiry per status and reason code: (inquiry fields, events as (at, kind), status, codes).
CASES = {
    "contracted": ({"requested_for": "2026-11-30"}, [QUOTE, REPLY, SIGN], ["CONTRACT_SIGNED"]),
    "contracted_against_rules/LATE_CONTRACT": (
        {"requested_for": "2026-11-25"},
        [QUOTE, ("2026-11-23 10:00", "contract_signed")],
        ["LATE_CONTRACT"],
    ),
    "contracted_against_rules/NO_PRIOR_QUOTE": (
        {"requested_for": "2026-11-30"},
        [SIGN],
        ["NO_PRIOR_QUOTE"],
    ),
    "contracted_against_rules/quote after the contract": (
        {"requested_for": "2026-11-30"},
        [SIGN, ("2026-11-11 10:00", "quote_sent")],
        ["NO_PRIOR_QUOTE"],
    ),
    "contracted_against_rules/all five": (
        {
            "requested_for": "2026-11-25",
            "customer_name": "",
            "customer_address": " ",
            "target_phone": None,
        },
        [("2026-11-23 10:00", "contract_signed")],
        [
            "LATE_CONTRACT",
            "NO_PRIOR_QUOTE",
            "MISSING_NAME",
            "MISSING_ADDRESS",
            "MISSING_TARGET_PHONE",
        ],
    ),
    "cancelled": (
        {"requested_for": "2026-11-30"},
        [QUOTE, SIGN, ("2026-11-12 10:00", "cancelled")],
        ["CANCELLED"],
    ),
    "declined_by_customer": (
        {"requested_for": FAR},
        [QUOTE, ("2026-11-04 10:00", "customer_declined")],
        ["DECLINED_BY_CUSTOMER"],
    ),
    "rejected_urgent/SHORT_NOTICE": ({"requested_for": "2026-11-04"}, [], ["SHORT_NOTICE"]),
    "rejected_urgent/URGENT_TEXT": ({"message": "明日お願いします"}, [], ["URGENT_TEXT"]),
    "rejected_late_request": (
        {"requested_for": "2026-11-26"},
        [QUOTE, REPLY, ("2026-11-24 10:00", "contract_requested")],
        ["LATE_REQUEST"],
    ),
    "rejected_late_request/after silence": (
        {"requested_for": "2026-11-25"},
        [QUOTE, ("2026-11-24 20:00", "contract_requested")],
        ["LATE_REQUEST", "SILENT_AFTER_QUOTE"],
    ),
    "silent": ({"requested_for": FAR}, [QUOTE], ["SILENT_AFTER_QUOTE"]),
    "expired": ({"requested_for": "2026-11-26"}, [], ["TOO_LATE_TO_CONTRACT"]),
    "incomplete": ({"requested_for": FAR, "customer_name": "\u3000"}, [], ["MISSING_NAME"]),
    "open/AWAITING_QUOTE": ({"requested_for": FAR}, [], ["AWAITING_QUOTE"]),
    "open/AWAITING_CUSTOMER": ({"requested_for": FAR}, [QUOTE, REPLY], ["AWAITING_CUSTOMER"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_status_and_its_reason_codes(facts_of, case: str) -> None:
    """Each status carries exactly the reason codes the SPEC's table gives it, in the table's order."""
    fields, events, codes = CASES[case]
    status = case.split("/")[0]
    f = facts_of([inquiry("A", **fields)], [event("A", at, kind) for at, kind in events]).loc["A"]
    assert (f.status, list(f.reason_codes)) == (status, codes)
    assert set(codes) <= set(STATUS_REASONS[status])


def test_every_status_and_code_of_the_table_is_covered() -> None:
    """The cases above reach every status and every reason code of the SPEC's table."""
    statuses = {case.split("/")[0] for case in CASES}
    codes = {code for _f, _e, case_codes in CASES.values() for code in case_codes}
    assert statuses == set(STATUSES)
    assert codes == {code for status_codes in STATUS_REASONS.values() for code in status_codes}


# Pairs where an inquiry meets two statuses' conditions: the one earlier in the SPEC's order wins.
FIRST_MATCH = {
    # a contract signed on short notice: contracted_against_rules, not rejected_urgent
    ("contracted_against_rules", "rejected_urgent"): (
        {"requested_for": "2026-11-04"},
        [QUOTE, ("2026-11-02 18:00", "contract_signed")],
    ),
    # cancelled and declined: cancelled
    ("cancelled", "declined_by_customer"): (
        {"requested_for": FAR},
        [QUOTE, ("2026-11-04 10:00", "customer_declined"), ("2026-11-05 10:00", "cancelled")],
    ),
    # declined an urgent request: declined_by_customer
    ("declined_by_customer", "rejected_urgent"): (
        {"requested_for": "2026-11-03"},
        [QUOTE, ("2026-11-02 18:00", "customer_declined")],
    ),
    # an urgent request that also came late: rejected_urgent
    ("rejected_urgent", "rejected_late_request"): (
        {"requested_for": "2026-11-04"},
        [QUOTE, ("2026-11-03 10:00", "contract_requested")],
    ),
    # silent, then a late request: rejected_late_request
    ("rejected_late_request", "silent"): (
        {"requested_for": "2026-11-25"},
        [QUOTE, ("2026-11-24 10:00", "contract_requested")],
    ),
    # silent and now too late to contract: silent
    ("silent", "expired"): ({"requested_for": "2026-11-25"}, [QUOTE]),
    # too late to contract and incomplete: expired
    ("expired", "incomplete"): ({"requested_for": "2026-11-25", "target_phone": ""}, []),
    # silent and incomplete: silent
    ("silent", "incomplete"): ({"requested_for": FAR, "customer_address": "\t"}, [QUOTE]),
}


@pytest.mark.parametrize(("winner", "loser"), list(FIRST_MATCH))
def test_the_first_matching_status_wins(facts_of, winner: str, loser: str) -> None:
    """When an inquiry meets the conditions of two statuses, the one earlier in the SPEC's order is its status."""
    fields, events = FIRST_MATCH[(winner, loser)]
    assert STATUSES.index(winner) < STATUSES.index(loser)
    f = facts_of([inquiry("A", **fields)], [event("A", at, kind) for at, kind in events]).loc["A"]
    assert f.status == winner


@pytest.mark.parametrize(
    ("events", "converted"),
    [
        ([QUOTE, REPLY, SIGN, ("2026-11-12 10:00", "cancelled")], True),
        ([SIGN, ("2026-11-12 10:00", "cancelled")], True),  # a contract against the rules
        ([QUOTE, ("2026-11-04 10:00", "cancelled")], False),  # cancelled before any contract
    ],
)
def test_a_cancelled_contract_is_cancelled_and_still_converted(
    facts_of, events: list, converted: bool
) -> None:
    """Both contract statuses require "not cancelled": a cancelled contract is cancelled, still counted as converted."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-30")], [event("A", at, kind) for at, kind in events]
    ).loc["A"]
    assert (f.status, list(f.reason_codes), f.converted) == ("cancelled", ["CANCELLED"], converted)


def test_a_contract_stays_contracted_after_the_call_day(facts_of) -> None:
    """A contract is final: once the call day has passed it is still contracted, never expired."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-20")],
        [event("A", at, kind) for at, kind in (QUOTE, REPLY, SIGN)],
    )
    assert f.loc["A"].status == "contracted"


def test_events_and_inquiries_after_a_are_ignored(facts_of) -> None:
    """Everything after the end of A is invisible: a contract at 00:00 the next day, an inquiry received then."""
    f = facts_of(
        [inquiry("A", requested_for=FAR), inquiry("LATER", "2026-11-25 00:00")],
        [
            event("A", "2026-11-20 15:00", "quote_sent"),
            event("A", "2026-11-25 00:00", "contract_signed"),
        ],
    )
    assert list(f.index) == ["A"]
    assert (f.loc["A"].converted, f.loc["A"].status) == (False, "open")


def test_an_inquiry_received_at_the_last_minute_of_a_counts(facts_of) -> None:
    """An inquiry received at 23:59 on A is evaluated (the day ends at midnight Japan time)."""
    f = facts_of([inquiry("A", "2026-11-24 23:59", requested_for=FAR)])
    assert list(f.index) == ["A"]
