"""Refusals to send (SPEC "Reply drafts", report key refusals_to_send): rejected inquiries decided in
the last refusal_days business days, with no staff-side event after the customer's last message and
no done mark."""

from __future__ import annotations

from datetime import date

import pytest

import pipelines
from pipelines.office import marks
from tests.conftest import build_db, event, inquiry, memory_db

# Tuesday 2026-11-24; Monday 11-23 is a public holiday (勤労感謝の日), so the business days before
# it are Fri 11-20 and Thu 11-19.
AS_OF = date(2026, 11, 24)


def refusals(con, day=AS_OF, overrides=None) -> list[str]:
    frame = pipelines.staff_lists(con, day, overrides)["refusals"]
    return list(frame["inquiry_id"])


@pytest.mark.slow
def test_urgent_ones_decided_in_the_last_two_business_days() -> None:
    """Urgent on arrival: decided on the received day. Fri 11-20 and the holiday weekend are within
    the last 2 business days of Tue 11-24; Thu 11-19 is not."""
    con = memory_db(
        [
            inquiry("TUE", "2026-11-24 09:00", requested_for="2026-11-25"),
            inquiry("SUN", "2026-11-22 09:00", requested_for="2026-11-23"),
            inquiry("FRI", "2026-11-20 09:00", requested_for="2026-11-21"),
            inquiry("THU", "2026-11-19 09:00", requested_for="2026-11-20"),
            inquiry("OK", "2026-11-24 09:00", requested_for="2026-12-24"),
        ]
    )
    assert refusals(con) == ["FRI", "SUN", "TUE"]  # the oldest decision first
    assert pipelines.report(con, AS_OF)["refusals_to_send"] == 3
    # one business day: only what was decided on A itself (Sunday's has waited through Tuesday)
    assert refusals(con, overrides={"refusal_days": 1}) == ["TUE"]
    assert refusals(con, overrides={"refusal_days": 3}) == ["THU", "FRI", "SUN", "TUE"]
    assert refusals(con, overrides={"refusal_days": 0}) == []
    # the last business day each is on the list (a snooze past it would hide it for good)
    frame = pipelines.staff_lists(con, AS_OF)["refusals"]
    days = zip(frame["inquiry_id"], frame["refusal_last_date"], strict=True)
    last = {i: str(d)[:10] for i, d in days}
    assert last == {"FRI": "2026-11-24", "SUN": "2026-11-24", "TUE": "2026-11-25"}
    frame = pipelines.staff_lists(con, AS_OF, {"refusal_days": 3})["refusals"]
    assert str(frame.set_index("inquiry_id").loc["THU", "refusal_last_date"])[:10] == "2026-11-24"


def test_a_staff_event_after_the_customers_last_message_means_they_were_told() -> None:
    con = memory_db(
        [
            inquiry("TOLD", "2026-11-24 09:00", requested_for="2026-11-25"),
            inquiry("REPLIED", "2026-11-24 09:00", requested_for="2026-11-25"),
            inquiry("LATER", "2026-11-24 09:00", requested_for="2026-11-25"),
        ],
        [
            event("TOLD", "2026-11-24 10:00", "staff_work"),
            # told, then the customer wrote again: they are waiting for an answer
            event("REPLIED", "2026-11-24 10:00", "staff_work"),
            event("REPLIED", "2026-11-24 11:00", "customer_reply"),
            # an event after A does not count on A
            event("LATER", "2026-11-25 10:00", "staff_work"),
        ],
    )
    assert sorted(refusals(con)) == ["LATER", "REPLIED"]
    assert "LATER" not in refusals(con, day=date(2026, 11, 25))


def test_a_late_request_is_decided_on_the_day_of_the_request() -> None:
    """Quoted in time, the formal request came fewer than min_lead_days before the call."""
    con = memory_db(
        [
            inquiry("LATE", "2026-11-02 09:00", requested_for="2026-11-25"),
            inquiry("OLD", "2026-11-02 09:00", requested_for="2026-11-19"),
        ],
        [
            event("LATE", "2026-11-02 15:00", "quote_sent", amount_jpy=20000),
            event("LATE", "2026-11-24 10:00", "contract_requested"),
            event("OLD", "2026-11-02 15:00", "quote_sent", amount_jpy=20000),
            event("OLD", "2026-11-17 10:00", "contract_requested"),
        ],
    )
    frame = pipelines.staff_lists(con, AS_OF)["refusals"]
    assert list(frame["inquiry_id"]) == ["LATE"]
    assert frame["status"].tolist() == ["rejected_late_request"]
    assert str(frame["decision_date"].iloc[0])[:10] == "2026-11-24"


@pytest.mark.slow
def test_a_done_mark_takes_it_off_and_the_report_counts_what_is_left(tmp_path) -> None:
    db = build_db(
        tmp_path,
        [
            inquiry("A", "2026-11-24 09:00", requested_for="2026-11-25"),
            inquiry("B", "2026-11-24 09:30", requested_for="2026-11-25"),
        ],
    )
    marks.done(db, "A", "refusals", AS_OF, "alice", None)
    con = pipelines.connect(db)
    try:
        frame = pipelines.staff_lists(con, AS_OF)["refusals"]
        assert dict(zip(frame["inquiry_id"], frame["done"], strict=True)) == {
            "A": True,
            "B": False,
        }
        assert pipelines.report(con, AS_OF)["refusals_to_send"] == 1
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_list_has_words_and_a_next_step(lang: str) -> None:
    from pipelines.settings import load_settings
    from pipelines.worklist import work_items

    con = memory_db([inquiry("TUE", "2026-11-24 09:00", requested_for="2026-11-25")])
    items = work_items(pipelines.staff_lists(con, AS_OF), lang, load_settings())["refusals"]
    assert [i.inquiry_id for i in items] == ["TUE"]
    assert "11/24" in items[0].next_step
    assert ("refusal" if lang == "en" else "お断り") in items[0].next_step
