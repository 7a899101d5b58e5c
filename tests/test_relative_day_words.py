"""「…、あさって」 ending a clause names a day (Sudachi alone reads it as 漁って, "searching"), and the
words staff see name the date they stand for: 「あさって（11月22日）」."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pipelines.i18n import evidence_text, trace_text
from pipelines.message_reader import read_message
from pipelines.settings import load_settings

RECEIVED = datetime(2026, 11, 20, 10, 0)  # a Friday


@pytest.mark.parametrize(
    "message",
    [
        "退職の連絡をお願いしたいのですが、あさって",
        "電話の件、できれば、あさって",
        "会社への連絡をお願いします。希望は、あさって",
        "架電はあさって",
        "明日ではなく、あさって",
        "代行をお願いします、あさって。",
    ],
)
def test_a_clause_ending_in_asatte_names_the_day_after_tomorrow(message: str) -> None:
    reading = read_message(message, RECEIVED)
    assert reading.message_date == date(2026, 11, 22)
    assert reading.urgent_evidence == "あさって"


@pytest.mark.parametrize(
    "message",
    ["古い書類をあさってください", "あさっても、しあさってもなく、来月10日にお願いします"],
)
def test_searching_and_negated_asatte_name_no_day_after_tomorrow(message: str) -> None:
    assert read_message(message, RECEIVED).message_date != date(2026, 11, 22)


def test_the_urgent_trace_names_the_date_of_the_words() -> None:
    """The inquiry page's sentence for an urgent message: the words and the day they name."""
    row = {
        "rule": "message_urgency",
        "verdict": "broken",
        "days": 2,
        "needed": 3,
        "on_date": date(2026, 11, 22),
        "detail": "あさって",
    }
    settings = load_settings()
    assert "「あさって（11月22日）」" in trace_text(row, "ja", settings)
    assert "“あさって (Nov 22)”" in trace_text(row, "en", settings)
    assert "「至急」" in trace_text({**row, "on_date": None, "detail": "至急"}, "ja", settings)


def test_evidence_without_a_day_is_left_as_it_is() -> None:
    assert evidence_text("ASAP", None, "en") == "ASAP"
    assert evidence_text("tomorrow", date(2026, 11, 21), "en") == "tomorrow (Nov 21)"


def test_a_loaded_message_ending_in_asatte_is_urgent_and_its_trace_names_the_date() -> None:
    """End to end through the database: the inquiry's message date, urgency and the inquiry page's
    sentence for the message rule."""
    import pipelines
    from tests.conftest import inquiry, memory_db

    message = "退職の連絡をお願いしたいのですが、あさって"
    row = inquiry("R1", "2026-11-20 10:00", message=message, requested_for=None)
    con = memory_db([row], [])
    try:
        facts = pipelines.inquiry_facts(con, "2026-11-20").set_index("inquiry_id")
        trace = pipelines.rule_trace(con, "R1", "2026-11-20").to_dict("records")
    finally:
        con.close()
    assert facts.loc["R1", "message_date"].date() == date(2026, 11, 22)
    assert bool(facts.loc["R1", "urgent"])
    [rule] = [r for r in trace if r["rule"] == "message_urgency"]
    assert rule["verdict"] == "broken"
    sentence = trace_text(rule, "ja", load_settings())
    assert sentence.endswith("「あさって（11月22日）」")
