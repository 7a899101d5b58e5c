"""rule_trace: every rule's verdict for one inquiry (met / broken / pending / not_applicable), the facts
behind it, the rule that decided the status marked — and `trace_text` wording each row with this
inquiry's numbers in both languages.

Rows go straight into an in-memory database, no loader. AS_OF is Tuesday 2026-11-24.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pandas as pd
import pytest

import pipelines
from pipelines.i18n import trace_text
from pipelines.settings import Settings, load_settings
from pipelines.vocabulary import RULE_REASONS, RULES, VERDICTS
from tests.conftest import AS_OF, assert_rows, event, inquiry, memory_db

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("rule_trace")

T = pd.Timestamp
FAR = "2026-12-20"
INQUIRIES = [
    # quoted 11-02, the customer replied on day 2
    inquiry("REPLIED", requested_for=FAR),
    # received at 08:00 on A, not quoted yet
    inquiry("NEW", "2026-11-24 08:00", requested_for=FAR),
    # quoted on 11-23, after the last day to sign (11-22) for a call on 11-25: expired
    inquiry("TOO_LATE", "2026-11-10 10:00", requested_for="2026-11-25"),
    # never quoted, the quote was due on 11-20
    inquiry("OVERDUE", "2026-11-18 10:00", requested_for=FAR),
    # one day's notice, never contracted
    inquiry("SHORT", requested_for="2026-11-03"),
    # signed two days before the call, without the address
    inquiry("AGAINST", requested_for="2026-11-24", customer_address=" "),
]
EVENTS = [
    event("REPLIED", "2026-11-02 15:00", "quote_sent"),
    event("REPLIED", "2026-11-04 10:00", "customer_reply"),
    event("TOO_LATE", "2026-11-23 10:00", "quote_sent"),
    event("AGAINST", "2026-11-02 15:00", "quote_sent"),
    event("AGAINST", "2026-11-22 10:00", "contract_signed"),
]
DEFAULTS = load_settings()


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = memory_db(INQUIRIES, EVENTS)
    yield connection
    connection.close()


def trace(con: duckdb.DuckDBPyConnection, inquiry_id: str) -> pd.DataFrame:
    return pipelines.rule_trace(con, inquiry_id, AS_OF).set_index("rule")


def texts(row: pd.Series, settings: Settings = DEFAULTS) -> tuple[str, str]:
    plain = {"rule": row.name, **row.to_dict()}
    return trace_text(plain, "en", settings), trace_text(plain, "ja", settings)


@pytest.mark.parametrize("inquiry_id", [i["inquiry_id"] for i in INQUIRIES])
def test_one_row_per_rule_with_a_known_verdict(
    con: duckdb.DuckDBPyConnection, inquiry_id: str
) -> None:
    """Every rule has one row, in the vocabulary's order, each with one of the four verdicts."""
    frame = pipelines.rule_trace(con, inquiry_id, AS_OF)
    assert list(frame["rule"]) == list(RULES)
    assert list(frame["step"]) == list(range(1, len(RULES) + 1))
    assert set(frame["verdict"]) <= set(VERDICTS)


@pytest.mark.parametrize("inquiry_id", [i["inquiry_id"] for i in INQUIRIES])
def test_the_rules_that_decided_the_status_are_marked(
    con: duckdb.DuckDBPyConnection, inquiry_id: str
) -> None:
    """Exactly one rule decided (that of the first reason code); the others' rules contribute."""
    codes = list(
        pipelines.inquiry_facts(con, AS_OF).set_index("inquiry_id").loc[inquiry_id].reason_codes
    )
    frame = trace(con, inquiry_id)
    decided = [r for r in frame.index if frame.loc[r, "decided"]]
    assert len(decided) == 1
    assert codes[0] in RULE_REASONS[decided[0]]
    assert {r for r in frame.index if frame.loc[r, "decided"] or frame.loc[r, "contributing"]} == {
        rule for rule, rule_codes in RULE_REASONS.items() if set(codes) & set(rule_codes)
    }


def test_late_request_after_silence_decides_with_silence_contributing() -> None:
    """SPEC "Status": rejected_late_request after silence — late_request decides, silence contributes."""
    connection = memory_db(
        [inquiry("BACK", "2026-11-02 10:00", requested_for="2026-11-25")],
        [
            event("BACK", "2026-11-02 15:00", "quote_sent"),
            event("BACK", "2026-11-23 10:00", "contract_requested"),
        ],
    )
    try:
        facts = pipelines.inquiry_facts(connection, AS_OF).set_index("inquiry_id").loc["BACK"]
        assert (facts.status, list(facts.reason_codes)) == (
            "rejected_late_request",
            ["LATE_REQUEST", "SILENT_AFTER_QUOTE"],
        )
        frame = trace(connection, "BACK")
        assert [r for r in frame.index if frame.loc[r, "decided"]] == ["late_request"]
        assert [r for r in frame.index if frame.loc[r, "contributing"]] == ["silence"]
    finally:
        connection.close()


def test_a_customer_who_replied_on_day_2_met_the_silence_rule(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Silence is met, 2 days after the quote; with no formal request, late_request does not apply."""
    frame = trace(con, "REPLIED")
    assert_rows(
        frame.loc[["silence", "late_request"]].reset_index(),
        [
            # open, AWAITING_CUSTOMER: the silence rule decided the status
            {"rule": "silence", "verdict": "met", "days": 2, "needed": 7, "decided": True},
            {
                "rule": "late_request",
                "verdict": "not_applicable",
                "days": None,
                "needed": 3,
                "decided": False,
            },
        ],
    )
    assert texts(frame.loc["silence"]) == (
        "Customer replied 2 days after the quote",
        "見積の2日後にお客様から返信",
    )
    assert texts(frame.loc["late_request"]) == ("No formal request yet", "正式依頼はまだありません")


def test_a_two_hour_old_inquiry_without_a_quote_is_pending_not_broken(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Quote turnaround is not judged yet (due Thu 11-26); silence does not apply before a quote."""
    frame = trace(con, "NEW")
    assert frame.loc["quote_turnaround", "verdict"] == "pending"
    assert frame.loc["silence", "verdict"] == "not_applicable"
    assert "broken" not in set(frame["verdict"])
    assert texts(frame.loc["quote_turnaround"]) == (
        "No quote yet; due by 2026/11/26 (Thu)",
        "未見積。送付期限は2026/11/26（木）",
    )


def test_expired_because_the_quote_went_out_after_the_last_day_to_sign(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """time_to_sign is broken and decided the status; the late quote is broken too (8 business days)."""
    frame = trace(con, "TOO_LATE")
    assert (
        frame.loc["time_to_sign", "verdict"],
        frame.loc["time_to_sign", "decided"],
        frame.loc["time_to_sign", "on_date"],
    ) == ("broken", True, T("2026-11-22"))
    assert [r for r in frame.index if frame.loc[r, "decided"]] == ["time_to_sign"]
    assert (frame.loc["quote_turnaround", "verdict"], frame.loc["quote_turnaround", "days"]) == (
        "broken",
        8,
    )
    assert texts(frame.loc["time_to_sign"]) == (
        "The last day to sign was 2026/11/22 (Sun); too late for the requested day",
        "契約期限の2026/11/22（日）を過ぎ、希望日に間に合いません",
    )
    assert texts(frame.loc["quote_turnaround"]) == (
        "Quoted on 2026/11/23 (Mon), 8 business days after the inquiry; due within 2",
        "2026/11/23（月）に見積送付（8営業日。期限は2営業日以内）",
    )


def test_an_overdue_quote_that_never_went_out_says_so(con: duckdb.DuckDBPyConnection) -> None:
    """An inquiry never quoted, past its due date: quote_turnaround broken, worded "No quote yet; it was due by …"."""
    frame = trace(con, "OVERDUE")
    assert frame.loc["quote_turnaround", "verdict"] == "broken"
    assert pd.isna(frame.loc["quote_turnaround", "days"])
    assert texts(frame.loc["quote_turnaround"]) == (
        "No quote yet; it was due by 2026/11/20 (Fri)",
        "未見積。送付期限は2026/11/20（金）でした",
    )


def test_short_notice_without_a_contract_never_mentions_a_contract(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """An urgent rejection that never had a contract: lead_time broken and decided; contract_lead does not apply."""
    frame = trace(con, "SHORT")
    assert (frame.loc["lead_time", "verdict"], frame.loc["lead_time", "decided"]) == (
        "broken",
        True,
    )
    assert frame.loc["contract_lead", "verdict"] == "not_applicable"
    assert texts(frame.loc["lead_time"]) == (
        "Requested for 2026/11/3 (Tue), only 1 day after the inquiry; the policy needs 3",
        "希望日 2026/11/3（火） は問い合わせの1日後。規定は3日以上",
    )
    assert texts(frame.loc["contract_lead"]) == ("No contract", "契約なし")


def test_a_contract_against_the_rules_marks_each_broken_rule(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Signed 2 days before the call without the address: contract_lead and completeness broken;
    contract_lead (LATE_CONTRACT, the first reason) decided, completeness contributed."""
    frame = trace(con, "AGAINST")
    assert [r for r in frame.index if frame.loc[r, "decided"]] == ["contract_lead"]
    assert [r for r in frame.index if frame.loc[r, "contributing"]] == ["completeness"]
    assert texts(frame.loc["contract_lead"]) == (
        "Signed on 2026/11/22 (Sun), only 2 days before the call; the policy needs 3",
        "2026/11/22（日）に契約（実行日の2日前）。規定は3日前まで",
    )
    assert texts(frame.loc["completeness"]) == ("Missing: address", "不足: ご住所")
    assert frame.loc["prior_quote", "verdict"] == "met"


@pytest.mark.parametrize("inquiry_id", [i["inquiry_id"] for i in INQUIRIES])
def test_every_row_is_worded_in_both_languages(
    con: duckdb.DuckDBPyConnection, inquiry_id: str
) -> None:
    """trace_text gives every row a sentence in English and in Japanese with no unfilled or blank values."""
    for _rule, row in trace(con, inquiry_id).iterrows():
        for text in texts(row):
            assert text
            assert not [bad for bad in ("{", "}", "None", "nan", "NaT", "<NA>") if bad in text], (
                text
            )


def test_the_numbers_of_the_rules_come_from_the_settings() -> None:
    """With min_lead_days = 5 and silence_days = 9 the trace says 5 and 9, never 3 or 7."""
    settings = load_settings().with_overrides({"min_lead_days": 5, "silence_days": 9})
    con = memory_db(INQUIRIES, EVENTS, settings)
    try:
        short = pipelines.rule_trace(con, "SHORT", AS_OF).set_index("rule")
        too_late = pipelines.rule_trace(con, "TOO_LATE", AS_OF).set_index("rule")
    finally:
        con.close()
    assert texts(short.loc["lead_time"], settings) == (
        "Requested for 2026/11/3 (Tue), only 1 day after the inquiry; the policy needs 5",
        "希望日 2026/11/3（火） は問い合わせの1日後。規定は5日以上",
    )
    assert texts(too_late.loc["time_to_sign"], settings)[0] == (
        "The last day to sign was 2026/11/20 (Fri); too late for the requested day"
    )
    assert texts(too_late.loc["silence"], settings)[0] == (
        "Quoted 1 day ago; silent after 2026/12/2 (Wed) without a reply"
    )
