"""The digest's staff lists for N use only what was known at the end of A (docs/metrics.md
"The digest's lists for N"): a contract signed, an inquiry received or a reply sent after A is not
in them. November 2026: Fri 20 = A, Mon 23 a public holiday, so N = Tue 24."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import pipelines
from pipelines import digest
from tests.conftest import event, inquiry, memory_db

pytestmark = pytest.mark.slow

A = date(2026, 11, 20)
N = date(2026, 11, 24)


def where(lists: dict, inquiry_id: str) -> list[str]:
    """The lists an inquiry is on."""
    return [name for name, frame in lists.items() if inquiry_id in set(frame["inquiry_id"])]


def test_the_digest_lists_leave_out_a_contract_signed_after_a(sample_db: Path) -> None:
    """Q0004828 (sample) was signed on 11-21, after A: as known at A it is no eligible call on N."""
    con = pipelines.connect(sample_db)
    try:
        as_of_n = pipelines.staff_lists(con, N)
        known_at_a = pipelines.staff_lists(con, N, known_at=A)
        data = digest.collect(con, A)
    finally:
        con.close()
    assert data.next_day == N
    assert where(as_of_n, "Q0004828") == ["eligible"]  # what N itself will know
    assert where(known_at_a, "Q0004828") == []
    assert all(i.inquiry_id != "Q0004828" for items in data.lists.values() for i in items)
    assert {k: len(v) for k, v in data.lists.items()} == {
        k: len(v[~v["done"] & v["snoozed_until"].isna()]) for k, v in known_at_a.items()
    }


def test_known_at_ignores_inquiries_and_events_after_it_but_judges_as_of_the_day() -> None:
    """Data after the cut-off is ignored; time still passes to the day the lists are for."""
    rows = [
        inquiry("SIGNED_LATER", "2026-11-02 10:00", requested_for="2026-11-24"),
        inquiry("ARRIVED_LATER", "2026-11-21 09:00", requested_for="2026-11-27"),  # sign by N
        # quoted 11-18, follow_up_days 3: a reminder is due on N (its quote is judged on 11-25)
        inquiry("QUOTED", "2026-11-16 10:00", requested_for="2026-12-20"),
        inquiry("OLD_QUOTE", "2026-11-10 10:00", requested_for="2026-12-20"),
    ]
    events = [
        event("SIGNED_LATER", "2026-11-03 10:00", "quote_sent"),
        event("SIGNED_LATER", "2026-11-04 10:00", "customer_reply"),
        event("SIGNED_LATER", "2026-11-21 10:00", "contract_signed"),
        event("QUOTED", "2026-11-18 10:00", "quote_sent"),
        event("QUOTED", "2026-11-22 10:00", "customer_reply"),  # after A: unknown at A
        # quoted 11-16: silent from 11-23 on, so on N no reminder is due any more
        event("OLD_QUOTE", "2026-11-16 09:00", "quote_sent"),
    ]
    con = memory_db(rows, events)
    try:
        at_n = pipelines.staff_lists(con, N)
        known = pipelines.staff_lists(con, N, known_at=A)
        same = pipelines.staff_lists(con, N, known_at=N)
    finally:
        con.close()
    assert where(at_n, "SIGNED_LATER") == ["eligible"]
    assert where(known, "SIGNED_LATER") == []  # open as known at A, too late to sign on N
    assert where(at_n, "ARRIVED_LATER") == ["sign_by"]
    assert where(known, "ARRIVED_LATER") == []
    assert where(at_n, "QUOTED") == []  # the customer replied on 11-22
    assert where(known, "QUOTED") == ["follow_up"]
    assert where(known, "OLD_QUOTE") == []  # silent by N: judged as of N
    assert {k: list(v["inquiry_id"]) for k, v in same.items()} == {
        k: list(v["inquiry_id"]) for k, v in at_n.items()
    }
