"""Rule 1, urgent requests, as they feed the status: the requested date decides when present, the message otherwise.

How the message is read (every wording, negation, dates named in it) is tested by the message reader's
own corpus; this file keeps the plain phrasing cases and how `urgent` reaches the status.
Rows go straight into an in-memory database, no loader. AS_OF is Tuesday 2026-11-24.
"""

from __future__ import annotations

import pytest

from pipelines.settings import load_settings
from tests.conftest import event, inquiry

URGENT = [
    "明日お願いします",
    "1時間後に電話して",
    "今日中にお願いします",
    "本日中に連絡してほしい",
    "今すぐ電話してください",
    "今から電話できますか",
    "これからかけてもらえますか",
    "至急お願いします",
    "大至急です",
    "急ぎでお願いします",
    "今夜お願いします",
    "２時間後にお願いします",
    "30分後に電話して",
    "３０分後にお願いします",
    "明後日の朝に電話して",
    "今晩中に",
    "明朝お願いします",
    "すぐにお願いします",
    "Please call tomorrow",
    "Can you call today?",
    "ASAP please",
    "This is URGENT",
    "call in 2 hours",
    "call in an hour please",
    "tonight if possible",
    "right now please",
    "immediately",
    "as soon as possible",
    "ＡＳＡＰでお願いします",
    "1時間以内に電話を",
    "this evening please",
    "急いでいます",
]
NOT_URGENT = [
    "急ぎではありません",
    "急ぎません。見積もりをください",
    "not urgent",
    "No rush, next month is fine",
    "見積もりをお願いします",
    "来月の予定です",
    "料金を教えてください",
    "Please send a quote",
    "日程はご相談させてください",
    "Not in a hurry",
    "男性の低い声の方でお願いできますか",
    "退職の連絡をお願いしたいです",
    "本日はお問い合わせありがとうございます",
    "明日以降で大丈夫です",
    "todays price list?",
    "",
    None,
]


@pytest.mark.parametrize("message", URGENT)
def test_urgent_phrasing_without_a_date_is_rejected_urgent(facts_of, message: str) -> None:
    """Without a requested date, a message asking for the call now/today/tomorrow/in N hours is rejected_urgent (URGENT_TEXT)."""
    f = facts_of([inquiry("A", message=message)]).loc["A"]
    assert f.urgent
    assert (f.status, list(f.reason_codes)) == ("rejected_urgent", ["URGENT_TEXT"])
    assert f.urgent_evidence  # the words that made it urgent are kept


@pytest.mark.parametrize("message", NOT_URGENT)
def test_calm_or_negated_phrasing_without_a_date_stays_open(facts_of, message: str | None) -> None:
    """Negated or calm phrasing is not urgent: the inquiry stays open, with no evidence."""
    f = facts_of([inquiry("A", message=message)]).loc["A"]
    assert (f.urgent, f.urgent_evidence, f.status) == (False, None, "open")


def test_the_words_that_made_it_urgent_are_the_evidence(facts_of) -> None:
    """urgent_evidence holds the words found in the (NFKC-normalised) message."""
    f = facts_of([inquiry("A", message="できれば明日お願いします")]).loc["A"]
    assert f.urgent_evidence == "明日"


def test_a_requested_date_decides_over_the_message(facts_of) -> None:
    """With a requested date the message is not read: 「明日お願いします」 with 3 weeks' notice is not urgent,
    a calm message with 1 day's notice is (SHORT_NOTICE, not URGENT_TEXT)."""
    f = facts_of(
        [
            inquiry("FAR", requested_for="2026-11-23", message="明日お願いします"),
            inquiry("SOON", requested_for="2026-11-03", message="急ぎません"),
        ]
    )
    far, soon = f.loc["FAR"], f.loc["SOON"]
    assert (far.urgent, far.urgent_evidence, far.status) == (False, None, "expired")
    assert (soon.urgent, soon.status, list(soon.reason_codes)) == (
        True,
        "rejected_urgent",
        ["SHORT_NOTICE"],
    )


def test_urgent_by_message_false_leaves_only_the_requested_date(facts_of) -> None:
    """With urgent_by_message = false the message never makes an inquiry urgent; short notice still does."""
    settings = load_settings().with_overrides({"urgent_by_message": False})
    f = facts_of(
        [
            inquiry("TEXT", message="明日お願いします"),
            inquiry("DATE", requested_for="2026-11-03", message="よろしく"),
        ],
        settings=settings,
    )
    assert (f.loc["TEXT"].urgent, f.loc["TEXT"].urgent_evidence, f.loc["TEXT"].status) == (
        False,
        None,
        "open",
    )
    assert (f.loc["DATE"].status, list(f.loc["DATE"].reason_codes)) == (
        "rejected_urgent",
        ["SHORT_NOTICE"],
    )


def test_urgent_by_message_override_text_form(facts_of) -> None:
    """The override accepts the text a command line gives ('false')."""
    settings = load_settings().with_overrides({"urgent_by_message": "false"})
    f = facts_of([inquiry("A", message="至急お願いします")], settings=settings).loc["A"]
    assert (f.urgent, f.status) == (False, "open")


def test_urgent_comes_before_late_request_and_silence(facts_of) -> None:
    """An urgent inquiry that was also quoted and went silent is rejected_urgent: urgency is checked first."""
    f = facts_of(
        [inquiry("A", message="明日お願いします")],
        [event("A", "2026-11-02 15:00", "quote_sent")],
    ).loc["A"]
    assert (f.silent, f.status, list(f.reason_codes)) == (True, "rejected_urgent", ["URGENT_TEXT"])


def test_a_customer_decision_comes_before_urgency(facts_of) -> None:
    """An urgent inquiry the customer declined is declined_by_customer; one contracted is a contract."""
    f = facts_of(
        [
            inquiry("DECLINED", message="明日お願いします"),
            inquiry("SIGNED", requested_for="2026-11-04"),
        ],
        [
            event("DECLINED", "2026-11-02 15:00", "quote_sent"),
            event("DECLINED", "2026-11-02 18:00", "customer_declined"),
            event("SIGNED", "2026-11-02 15:00", "quote_sent"),
            event("SIGNED", "2026-11-02 18:00", "contract_signed"),
        ],
    )
    assert f.loc["DECLINED"].status == "declined_by_customer"
    assert (f.loc["SIGNED"].urgent, f.loc["SIGNED"].status, list(f.loc["SIGNED"].reason_codes)) == (
        True,
        "contracted_against_rules",
        ["LATE_CONTRACT"],
    )
