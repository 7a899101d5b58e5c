"""The requested date (SPEC "The requested date"): requested_for when given, else the day the message names.

Every rule and list follows it: lead_days, urgency, sign-by, upcoming, late_contract, expired. With
urgent_by_message off the rules read nothing from the message (docs/metrics.md).
Rows go straight into an in-memory database, no loader; fixed as-of days.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import pipelines
from pipelines import api
from tests.conftest import event, inquiry, memory_db

RECEIVED = "2026-11-20 10:00"  # a Friday
DEC10 = inquiry("Q1", RECEIVED, message="12月10日にお願いします")
TOMORROW = inquiry("Q2", RECEIVED, message="明日電話して")
QUOTED = [  # a quote the customer answered: not silent
    event("Q1", "2026-11-21 10:00", "quote_sent", amount_jpy=30000),
    event("Q1", "2026-11-22 10:00", "customer_reply"),
]


def facts(rows, events=(), as_of="2026-11-24", overrides=None) -> pd.DataFrame:
    """The facts of rows as of a day, by inquiry_id."""
    con = memory_db(rows, events)
    try:
        return api.inquiry_facts(con, as_of, overrides).set_index("inquiry_id")
    finally:
        con.close()


def lists(rows, events, day, overrides=None) -> dict[str, pd.DataFrame]:
    """The staff lists of a day over rows."""
    con = memory_db(rows, events)
    try:
        return api.staff_lists(con, day, overrides)
    finally:
        con.close()


def test_a_day_in_the_message_gives_lead_days_and_sign_by() -> None:
    f = facts([DEC10]).loc["Q1"]
    assert f["requested_date"] == pd.Timestamp("2026-12-10")
    assert bool(f["requested_date_from_message"])
    assert f["message_evidence"] == "12月10日"
    assert f["lead_days"] == 20
    assert f["sign_by_date"] == pd.Timestamp("2026-12-07")
    assert not f["urgent"]
    assert f["status"] == "open"


def test_the_message_day_puts_it_on_the_sign_by_list_and_then_expires() -> None:
    signing = lists([DEC10], QUOTED, "2026-12-07")["sign_by"]
    assert signing["inquiry_id"].tolist() == ["Q1"]
    assert bool(signing["requested_date_from_message"].iloc[0])
    assert facts([DEC10], QUOTED, "2026-12-08").loc["Q1", "status"] == "expired"


@pytest.mark.slow
def test_a_contract_on_time_for_the_message_day_is_upcoming() -> None:
    signed = [*QUOTED, event("Q1", "2026-11-25 10:00", "contract_signed")]
    f = facts([DEC10], signed, "2026-12-01").loc["Q1"]
    assert f["status"] == "contracted"
    assert not f["late_contract"]
    upcoming = lists([DEC10], signed, "2026-12-01")["upcoming"]
    assert upcoming["inquiry_id"].tolist() == ["Q1"]
    assert upcoming["requested_date"].tolist() == [pd.Timestamp("2026-12-10")]
    assert lists([DEC10], signed, "2026-12-10")["eligible"]["inquiry_id"].tolist() == ["Q1"]


def test_a_contract_two_days_before_the_message_day_is_late() -> None:
    signed = [*QUOTED, event("Q1", "2026-12-08 10:00", "contract_signed")]
    f = facts([DEC10], signed, "2026-12-09").loc["Q1"]
    assert bool(f["late_contract"])
    assert f["status"] == "contracted_against_rules"
    assert "LATE_CONTRACT" in list(f["reason_codes"])


def test_tomorrow_in_the_message_is_urgent_with_its_words() -> None:
    f = facts([TOMORROW]).loc["Q2"]
    assert f["requested_date"] == pd.Timestamp("2026-11-21")
    assert f["lead_days"] == 1
    assert bool(f["urgent"])
    assert f["status"] == "rejected_urgent"
    assert list(f["reason_codes"]) == ["URGENT_TEXT"]
    assert f["urgent_evidence"] == "明日"


def test_asap_without_a_day_is_urgent_with_no_requested_date() -> None:
    f = facts([inquiry("Q3", RECEIVED, message="至急お願いします")]).loc["Q3"]
    assert pd.isna(f["requested_date"])
    assert pd.isna(f["lead_days"])
    assert not f["requested_date_from_message"]
    assert f["status"] == "rejected_urgent"


def test_requested_for_wins_over_the_message() -> None:
    row = inquiry("Q4", RECEIVED, requested_for="2026-12-20", message="12月10日にお願いします")
    f = facts([row]).loc["Q4"]
    assert f["requested_date"] == pd.Timestamp("2026-12-20")
    assert not f["requested_date_from_message"]
    assert f["lead_days"] == 30


def test_without_urgent_by_message_the_message_sets_no_date() -> None:
    off = {"urgent_by_message": False}
    f = facts([DEC10, TOMORROW], overrides=off)
    assert f["requested_date"].isna().all()
    assert not f["requested_date_from_message"].any()
    assert f["status"].tolist() == ["open", "open"]


def test_the_rule_trace_shows_the_message_day() -> None:
    con = memory_db([TOMORROW])
    try:
        trace = pipelines.rule_trace(con, "Q2", date(2026, 11, 24)).set_index("rule")
    finally:
        con.close()
    assert trace.loc["message_urgency", "verdict"] == "broken"
    assert trace.loc["message_urgency", "detail"] == "明日"


def test_today_marks_a_day_from_the_message_with_its_words_in_both_languages() -> None:
    from pipelines import worklist
    from pipelines.settings import load_settings

    signed = [*QUOTED, event("Q1", "2026-11-25 10:00", "contract_signed")]
    frames = lists([DEC10], signed, "2026-12-01")
    ja = worklist.work_items(frames, "ja", load_settings())["upcoming"][0]
    en = worklist.work_items(frames, "en", load_settings())["upcoming"][0]
    assert ja.requested_for == "2026/12/10（木）（本文「12月10日」より）"
    assert en.requested_for == "2026/12/10 (Thu) (from the message: “12月10日”)"
    assert ja.as_dict()["requested_date_from_message"] is True
    assert ja.as_dict()["requested_date"] == "2026-12-10"
    table = worklist.queue_frame(worklist.work_items(frames, "en", load_settings()), "en")
    assert table["Requested date from the message"].tolist() == ["yes"]
    ics = worklist.upcoming_calendar([en], date(2026, 12, 1), "en").decode()
    assert "DTSTART;VALUE=DATE:20261210" in ics
    assert "from the message" in ics


def test_a_given_requested_for_is_shown_unmarked() -> None:
    from pipelines import worklist
    from pipelines.settings import load_settings

    row = inquiry("Q4", RECEIVED, requested_for="2026-12-10 13:00", message="見積もりを")
    events = [
        event("Q4", "2026-11-21 10:00", "quote_sent", amount_jpy=30000),
        event("Q4", "2026-11-25 10:00", "contract_signed"),
    ]
    item = worklist.work_items(lists([row], events, "2026-12-01"), "ja", load_settings())
    assert item["upcoming"][0].requested_for == "2026/12/10（木） 13:00"
    assert item["upcoming"][0].requested_date_from_message is False


def test_the_inquiries_search_and_the_draft_carry_the_mark() -> None:
    from pipelines import drafts, queries
    from pipelines.i18n import requested_text
    from pipelines.settings import load_settings

    con = memory_db([DEC10])
    try:
        page = queries.search_inquiries(con, "2026-11-24", "", ())
        detail = queries.inquiry_detail(con, "Q1", "2026-11-24")
    finally:
        con.close()
    row = page.rows.to_dict("records")[0]
    assert requested_text(row, "ja") == "2026/12/10（木）（本文「12月10日」より）"
    assert requested_text(detail, "en") == "2026/12/10 (Thu) (from the message: “12月10日”)"
    values = drafts.fill_values(detail, "ja", load_settings())
    assert values["requested_date"] == "2026年12月10日（木）（ご依頼文の「12月10日」より）"
