"""Wording people read: same-day counts say "the same day", a customer's decision is not a violation,
a sign-by due today says today, what-if and overview changes read cleanly (no -0.0, one yen unit)."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines import charts
from pipelines.i18n import trace_text, verdict_text
from pipelines.settings import load_settings
from pipelines.worklist import next_step

SETTINGS = load_settings()
A = date(2026, 11, 20)  # a Friday


def test_a_reply_on_the_day_of_the_quote_is_the_same_day() -> None:
    """silence met after 0 days: 「見積の当日に返信」, never 「見積の0日後」."""
    row = {"rule": "silence", "verdict": "met", "days": 0, "needed": 7, "detail": None}
    assert trace_text(row, "ja", SETTINGS) == "見積の当日にお客様から返信"
    assert trace_text(row, "en", SETTINGS) == "Customer replied on the day of the quote"
    row["days"] = 2
    assert trace_text(row, "ja", SETTINGS) == "見積の2日後にお客様から返信"


def test_a_contract_on_the_day_of_the_call_says_so() -> None:
    """contract_lead broken with 0 days: 「実行日の当日」."""
    row = {"rule": "contract_lead", "verdict": "broken", "days": 0, "needed": 3, "on_date": A}
    assert (
        trace_text(row, "ja", SETTINGS) == "2026/11/20（金）に契約（実行日の当日）。規定は3日前まで"
    )


def test_a_customer_decision_is_not_called_a_violation() -> None:
    """The customer's decline reads as their choice; other broken rules still read 違反."""
    assert verdict_text("customer_decision", "broken", "ja") == "お客様のご判断"
    assert verdict_text("customer_decision", "broken", "en") == "the customer's choice"
    assert verdict_text("lead_time", "broken", "ja") == "違反"


def _sign_by(sign_by: date, **row: object) -> dict:
    return {"sign_by_date": sign_by, "as_of_date": A, "quoted": True, "missing_fields": []} | row


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_sign_by_due_today_says_today_not_the_date(lang: str) -> None:
    """On the last day itself the step says today (本日中に), not 「2026/11/20（金）までに」."""
    for row in (
        _sign_by(A),
        _sign_by(A, quoted=False),
        _sign_by(A, missing_fields=["customer_address"]),
    ):
        text = next_step("sign_by", row, lang, SETTINGS)
        assert "2026/11/20" not in text
        assert ("本日中に" if lang == "ja" else "today") in text


def test_an_incomplete_sign_by_on_a_day_off_asks_to_sign_today() -> None:
    """Its last day (requested − min_lead_days) is Saturday: sign today, the Saturday named as closed."""
    row = _sign_by(date(2026, 11, 21), missing_fields=["customer_address"])
    assert next_step("sign_by", row, "ja", SETTINGS) == (
        "ご住所を確認し、本日中に契約を締結してください（期限の2026/11/21（土）は休業日です）"
    )


def test_minute_changes_never_read_minus_zero_and_are_rounded() -> None:
    """What-if minute deltas: +0, whole minutes with separators from 10 up, one decimal below."""
    assert charts.change_text("minutes", 35.02, 35.04, "ja") == "+0分"
    assert charts.change_text("minutes", 3000.0, 63.0, "ja") == "+2,937分"
    assert charts.change_text("minutes", 10.0, 12.5, "en") == "-2.5 min"
    assert charts.change_text("rate", 0.25, 0.2500001, "ja") == "+0.0ポイント"


def test_a_short_yen_change_uses_its_figures_unit() -> None:
    """Beside a tile in 万円 the change is in 万円 too, not 円."""
    assert charts.change_text("yen", 1_719_000, 1_714_000, "ja", short=True) == "+0.5万円"
    assert charts.change_text("yen", 12_000, 7_000, "ja", short=True) == "+5,000円"


def test_one_note_on_a_card_is_singular() -> None:
    """A card with one note says "1 note" (a tester read "1 notes"); more say "2 notes", 「メモ1件」."""
    from pipelines.i18n import t

    assert t("work.notes", "en", n=1) == "1 note"
    assert t("work.notes", "en", n=2) == "2 notes"
    assert t("work.notes", "en", n=11) == "11 notes"
    assert t("work.notes", "ja", n=1) == "メモ1件"
