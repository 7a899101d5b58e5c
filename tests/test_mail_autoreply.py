"""The office's autoresponder in the mailbox import: no event, no staff time, and a customer's answer to
it joins the inquiry it answered (the slow week test, tests/test_mail_week.py, runs it through sync)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from mailservers import JST, mail, raw

from pipelines.mailbox import convert_messages, inquiry_id_for, mailbox_settings_from_table

OFFICE = "受付 <info@office.example.jp>"
RULES = mailbox_settings_from_table({"office_addresses": ["info@office.example.jp"]}, "test")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_an_autoresponder_is_no_event_and_an_answer_to_it_joins_the_inquiry(
    tmp_path: Path,
) -> None:
    ask = mail(
        "鈴木 一郎 <suzuki@example.jp>",
        "info@office.example.jp",
        "料金について",
        "お名前：鈴木 一郎\n来月15日に退職の連絡をお願いします。",
        datetime(2026, 11, 18, 14, 0, tzinfo=JST),
    )
    auto = mail(
        OFFICE,
        "suzuki@example.jp",
        "【自動返信】お問い合わせありがとうございます",
        "担当者より2営業日以内にご連絡します。",
        datetime(2026, 11, 18, 14, 1, tzinfo=JST),
        reply_to=ask,
    )
    auto["Auto-Submitted"] = "auto-replied"
    answer = mail(
        "鈴木 一郎 <suzuki@example.jp>",
        "info@office.example.jp",
        "Re: 【自動返信】お問い合わせありがとうございます",
        "補足です。希望日は変わりません。",
        datetime(2026, 11, 19, 9, 0, tzinfo=JST),
        reply_to=auto,  # In-Reply-To and References name only the automatic reply
    )
    messages = [(raw(m), f"m{i}.eml", (f"m{i}.eml",)) for i, m in enumerate((ask, auto, answer))]
    result = convert_messages(messages, tmp_path, RULES)
    assert (result.inquiries, result.events, result.skipped) == (1, 1, 1)
    [event] = _rows(result.quotes_path)
    assert (event["inquiry_id"], event["event"]) == (
        inquiry_id_for(ask["Message-ID"]),
        "customer_reply",
    )
    review = {r["subject"]: r for r in _rows(result.review_path)}
    skipped = review["【自動返信】お問い合わせありがとうございます"]
    assert skipped["became"] == "not used"
    assert "automatic reply (Auto-Submitted: auto-replied)" in skipped["why"]
    assert "自動返信" in skipped["why_ja"]

    # with skip_automatic off, the autoresponder is an office mail like any other (staff_work)
    lenient = mailbox_settings_from_table(
        {"office_addresses": ["info@office.example.jp"], "skip_automatic": False}, "test"
    )
    result = convert_messages(messages, tmp_path / "lenient", lenient)
    assert (result.inquiries, result.events, result.event_counts["staff_work"]) == (1, 2, 1)
