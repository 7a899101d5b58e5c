"""Rules 1 and 4, lead time: short notice, late contracts, late formal requests, too late to contract.

Rows go straight into an in-memory database, no loader. AS_OF is Tuesday 2026-11-24; inquiries are
received on Monday 2026-11-02 unless stated; min_lead_days is 3 unless a test changes it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import pipelines
from pipelines.settings import load_settings
from tests.conftest import event, inquiry, memory_db

QUOTED_AND_REPLIED = [
    event("A", "2026-11-02 15:00", "quote_sent"),
    event("A", "2026-11-03 10:00", "customer_reply"),
]


@pytest.mark.parametrize(
    ("requested", "lead_days", "urgent"),
    [
        ("2026-11-20", 0, True),  # the same day
        ("2026-11-21", 1, True),  # 「明日お願いします」
        ("2026-11-22 23:59", 2, True),  # the time of day does not add a day
        ("2026-11-23", 3, False),  # exactly min_lead_days: accepted
        ("2026-11-23 00:01", 3, False),
        ("2026-11-19", -1, True),  # a day already past
    ],
)
def test_short_notice_is_decided_by_the_requested_date(
    facts_of, requested: str, lead_days: int, urgent: bool
) -> None:
    """lead_days = requested date − received date; fewer than min_lead_days is rejected_urgent with SHORT_NOTICE."""
    f = facts_of(
        [inquiry("A", "2026-11-20 23:30", requested_for=requested, message="よろしく")],
        as_of=date(2026, 11, 20),
    ).loc["A"]
    assert (f.lead_days, f.urgent) == (lead_days, urgent)
    if urgent:
        assert (f.status, list(f.reason_codes)) == ("rejected_urgent", ["SHORT_NOTICE"])
    else:
        assert f.status == "open"


def test_no_requested_date_gives_no_lead_days(facts_of) -> None:
    """Without a requested date lead_days is null and the lead-time rules do not apply."""
    f = facts_of([inquiry("A", message="見積もりをお願いします")]).loc["A"]
    assert pd.isna(f.lead_days)
    assert (f.urgent, f.late_request, f.status) == (False, False, "open")


@pytest.mark.parametrize(
    ("signed", "late"),
    [
        ("2026-11-21 10:00", False),  # 3 days before the call
        ("2026-11-21 23:59", False),
        ("2026-11-22 00:00", True),  # 2 days before
        ("2026-11-24 08:00", True),  # on the day itself
    ],
)
def test_late_contract_is_signed_fewer_than_min_lead_days_before_the_call(
    facts_of, signed: str, late: bool
) -> None:
    """A contract signed fewer than min_lead_days (calendar days) before the requested date is LATE_CONTRACT."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-24")],
        [*QUOTED_AND_REPLIED, event("A", signed, "contract_signed")],
    ).loc["A"]
    assert f.late_contract == late
    expected = (
        ("contracted_against_rules", ["LATE_CONTRACT"])
        if late
        else ("contracted", ["CONTRACT_SIGNED"])
    )
    assert (f.status, list(f.reason_codes)) == expected


def test_the_first_signature_decides_a_late_contract(facts_of) -> None:
    """contract_at is the first contract_signed: a later duplicate signature does not make it late."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-24")],
        [
            *QUOTED_AND_REPLIED,
            event("A", "2026-11-20 10:00", "contract_signed"),
            event("A", "2026-11-23 10:00", "contract_signed"),
        ],
    ).loc["A"]
    assert (str(f.contract_at), f.late_contract, f.status) == (
        "2026-11-20 10:00:00",
        False,
        "contracted",
    )


@pytest.mark.parametrize(
    ("requested_at", "late"),
    [
        ("2026-11-21 23:00", False),  # 3 days before the call
        ("2026-11-22 09:00", True),  # 2 days before
        ("2026-11-24 08:00", True),  # on the day itself
    ],
)
def test_a_formal_request_fewer_than_min_lead_days_before_the_call_is_late(
    facts_of, requested_at: str, late: bool
) -> None:
    """A contract_requested fewer than min_lead_days before the requested date is rejected_late_request (LATE_REQUEST)."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-24")],
        [*QUOTED_AND_REPLIED, event("A", requested_at, "contract_requested")],
        as_of=date.fromisoformat(requested_at[:10]),
    ).loc["A"]
    assert f.late_request == late
    if late:
        assert (f.status, list(f.reason_codes)) == ("rejected_late_request", ["LATE_REQUEST"])
        assert not f.returned_after_silence
    else:
        assert (f.status, list(f.reason_codes)) == ("open", ["AWAITING_CUSTOMER"])


def test_any_late_request_counts_even_after_an_early_one(facts_of) -> None:
    """An early formal request followed by a late one (no contract) is still a late request."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-30")],
        [
            *QUOTED_AND_REPLIED,
            event("A", "2026-11-10 10:00", "contract_requested"),
            event("A", "2026-11-28 10:00", "contract_requested"),
        ],
        as_of=date(2026, 11, 28),
    ).loc["A"]
    assert (f.late_request, f.status) == (True, "rejected_late_request")


def test_a_formal_request_without_a_requested_date_is_never_late(facts_of) -> None:
    """With no requested date there is no call day to be late for: late_request is false."""
    f = facts_of(
        [inquiry("A", message="見積もりをお願いします")],
        [*QUOTED_AND_REPLIED, event("A", "2026-11-05 10:00", "contract_requested")],
    ).loc["A"]
    assert (f.late_request, f.status) == (False, "open")


@pytest.mark.parametrize("returns_at", ["2026-11-23 20:00", "2026-11-24 08:00"])
def test_silent_then_returns_the_day_before_or_on_the_day(facts_of, returns_at: str) -> None:
    """Silent after the quote, then a formal request the day before (or the day itself): rejected_late_request
    with LATE_REQUEST and SILENT_AFTER_QUOTE (rule 4)."""
    f = facts_of(
        [inquiry("A", requested_for="2026-11-24")],
        [
            event("A", "2026-11-02 15:00", "quote_sent"),
            event("A", returns_at, "contract_requested"),
        ],
    ).loc["A"]
    assert (f.silent, f.returned_after_silence, f.late_request) == (True, True, True)
    assert (f.status, list(f.reason_codes)) == (
        "rejected_late_request",
        ["LATE_REQUEST", "SILENT_AFTER_QUOTE"],
    )


@pytest.mark.parametrize(
    ("as_of", "status", "codes"),
    [
        (date(2026, 11, 26), "open", ["AWAITING_QUOTE"]),  # 3 days left: can still be signed today
        (date(2026, 11, 27), "expired", ["TOO_LATE_TO_CONTRACT"]),  # 2 days left
        (date(2026, 11, 29), "expired", ["TOO_LATE_TO_CONTRACT"]),  # the day of the call
        (date(2026, 12, 3), "expired", ["TOO_LATE_TO_CONTRACT"]),  # the day has passed
    ],
)
def test_too_late_to_contract_at_its_edge(facts_of, as_of: date, status: str, codes: list) -> None:
    """An inquiry is expired once requested date − A < min_lead_days: it can no longer be contracted in time."""
    f = facts_of([inquiry("A", "2026-11-20 10:00", requested_for="2026-11-29")], as_of=as_of).loc[
        "A"
    ]
    assert (f.status, list(f.reason_codes)) == (status, codes)


def test_min_lead_days_from_the_settings_file_reaches_the_rules(tmp_path: Path) -> None:
    """With min_lead_days = 5 in the settings file, 4 days' notice is short notice."""
    path = tmp_path / "s.toml"
    path.write_text("min_lead_days = 5\n")
    con = memory_db([inquiry("A", requested_for="2026-11-06")], settings=load_settings(path))
    try:
        f = pipelines.inquiry_facts(con, "2026-11-02").set_index("inquiry_id").loc["A"]
    finally:
        con.close()
    assert (f.lead_days, f.status, list(f.reason_codes)) == (4, "rejected_urgent", ["SHORT_NOTICE"])


def test_min_lead_days_override_changes_every_lead_time_rule(facts_of) -> None:
    """With min_lead_days = 2 (a what-if override) two days' notice, a contract and a request 2 days ahead pass."""
    settings = load_settings().with_overrides({"min_lead_days": 2})
    f = facts_of(
        [
            inquiry("NOTICE", "2026-11-22 10:00", requested_for="2026-11-24"),
            inquiry("SIGNED", requested_for="2026-11-24"),
            inquiry("REQUEST", "2026-11-20 10:00", requested_for="2026-11-24"),
        ],
        [
            event("SIGNED", "2026-11-02 15:00", "quote_sent"),
            event("SIGNED", "2026-11-22 10:00", "contract_signed"),
            event("REQUEST", "2026-11-20 15:00", "quote_sent"),
            event("REQUEST", "2026-11-22 10:00", "contract_requested"),
        ],
        as_of=date(2026, 11, 22),
        settings=settings,
    )
    assert {i: f.loc[i].status for i in f.index} == {
        "NOTICE": "open",
        "SIGNED": "contracted",
        "REQUEST": "open",
    }
