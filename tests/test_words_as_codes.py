"""Words are data until shown: what is stored or raised carries a code and parameters, and the
reader's language words it from pipelines/i18n/ at display time (no English read back)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines import i18n
from pipelines.readers import FileRefused


def test_a_refusal_is_worded_from_its_code_and_parameters() -> None:
    exc = FileRefused("log.csv", code="NUL_BYTES", line=7)
    assert i18n.refusal_text(exc, "en") == "log.csv: " + exc.problem
    assert (
        i18n.refusal_text(exc, "ja")
        == "log.csv: NULバイトを含みます（7行目）。CSVではなくバイナリファイルです"
    )


def test_a_changed_english_template_still_gives_the_japanese_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Changing an English sentence cannot make the Japanese page fall back to English."""
    entry = dict(i18n.STRINGS["refused.LIMIT_ROWS"])
    entry["en"] = "too many rows: the limit is {limit:,} (max_rows), reworded"
    monkeypatch.setitem(i18n.STRINGS, "refused.LIMIT_ROWS", entry)
    exc = FileRefused("big.csv", code="LIMIT_ROWS", limit=1_000_000)
    assert (
        i18n.refusal_text(exc, "ja")
        == "big.csv: データ行が上限1,000,000行を超えています（max_rows）"
    )
    assert i18n.refusal_text(exc, "en") == (
        "big.csv: too many rows: the limit is 1,000,000 (max_rows), reworded"
    )


def test_a_refusal_without_code_parameters_is_shown_as_raised() -> None:
    exc = FileRefused("odd.csv", "something the caller worded")
    assert i18n.refusal_text(exc, "ja") == "odd.csv: something the caller worded"


def test_the_review_sheet_keeps_codes_worded_in_the_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mailbox's reasons are codes with parameters (why_codes); the page words them and the
    event kinds in the reader's language, whatever the English template says."""
    from tests.test_mailbox import convert, exchange

    later = ("office", "2026-11-02 15:00", "お見積り金額：12,000円")
    _, _, _, review = convert(tmp_path, exchange(later))
    quote = json.loads(review[1]["why_codes"])
    assert quote[0][0] == "quote"
    assert quote[0][1]["amount"] == 12000
    entry = dict(i18n.STRINGS["mail.why.quote"])
    entry["en"] = "sent a quote of {amount:,} yen"
    monkeypatch.setitem(i18n.STRINGS, "mail.why.quote", entry)
    assert i18n.mail_reasons_text(quote, "ja").startswith("送信・金額 12,000円（「")
    assert i18n.mail_reasons_text(quote, "en") == "sent a quote of 12,000 yen"
    assert i18n.mail_became_text(review[0]["became"], "ja") == "問い合わせ"
    assert i18n.mail_became_text(review[1]["became"], "ja") == "見積送信"
    assert i18n.mail_became_text("not used", "ja") == "使用しない"
