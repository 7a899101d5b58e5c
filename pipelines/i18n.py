"""Every user-facing word, in English and Japanese: statuses, reason codes, labels and messages.

``t(key, lang)`` looks a string up; a missing Japanese string falls back to English, a missing key
is an error caught by the tests (every key has both languages).
"""

from __future__ import annotations

LANGS = ("en", "ja")

STRINGS: dict[str, dict[str, str]] = {
    # statuses
    "status.contracted": {"en": "Contracted", "ja": "契約済み"},
    "status.contracted_against_rules": {"en": "Contracted against the rules", "ja": "規定外の契約"},
    "status.cancelled": {"en": "Cancelled", "ja": "キャンセル"},
    "status.declined_by_customer": {"en": "Declined by customer", "ja": "お客様が辞退"},
    "status.rejected_urgent": {"en": "Rejected: urgent", "ja": "お断り（急ぎの依頼）"},
    "status.rejected_late_request": {
        "en": "Rejected: requested too late",
        "ja": "お断り（依頼が直前）",
    },
    "status.silent": {"en": "Silent after quote", "ja": "見積後に連絡なし"},
    "status.expired": {"en": "Expired", "ja": "期限切れ"},
    "status.incomplete": {"en": "Incomplete", "ja": "情報不足"},
    "status.open": {"en": "Open", "ja": "対応中"},
    # reason codes
    "reason.CONTRACT_SIGNED": {
        "en": "Contract signed in time with full details",
        "ja": "期限内に契約済み・情報もそろっています",
    },
    "reason.LEAD_TIME": {
        "en": "Fewer than 3 days between contract and call",
        "ja": "契約から実行日まで3日未満",
    },
    "reason.URGENT_TEXT": {
        "en": "The message asks for an immediate call",
        "ja": "本文が至急の架電を求めています",
    },
    "reason.MISSING_NAME": {"en": "Customer's name is missing", "ja": "お名前がありません"},
    "reason.MISSING_ADDRESS": {"en": "Customer's address is missing", "ja": "ご住所がありません"},
    "reason.MISSING_TARGET_PHONE": {
        "en": "Number to call is missing",
        "ja": "架電先の電話番号がありません",
    },
    "reason.NO_PRIOR_QUOTE": {
        "en": "Contract without a prior quote",
        "ja": "見積前に契約されています",
    },
    "reason.SILENT_AFTER_QUOTE": {
        "en": "No reply within 7 days of the quote",
        "ja": "見積後7日以内に返信がありません",
    },
    "reason.LATE_REQUEST": {
        "en": "Formal request came too close to the call day",
        "ja": "正式依頼が実行日の直前でした",
    },
    "reason.CANCELLED": {"en": "Cancelled after contract", "ja": "契約後にキャンセル"},
    "reason.DECLINED_BY_CUSTOMER": {
        "en": "Customer said they will not order",
        "ja": "お客様から辞退の連絡",
    },
    "reason.TOO_LATE_TO_CONTRACT": {
        "en": "Too late to sign before the requested day",
        "ja": "希望日までに契約が間に合いません",
    },
    "reason.AWAITING_QUOTE": {"en": "Waiting for our quote", "ja": "見積の送付待ち"},
    "reason.AWAITING_CUSTOMER": {"en": "Waiting for the customer", "ja": "お客様の返信待ち"},
    # missing fields
    "field.customer_name": {"en": "name", "ja": "お名前"},
    "field.customer_address": {"en": "address", "ja": "ご住所"},
    "field.target_phone": {"en": "number to call", "ja": "架電先"},
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text for key in lang ('en' or 'ja'), with {placeholders} filled from values."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def status_label(status: str, lang: str = "en") -> str:
    """A status in plain words."""
    return t(f"status.{status}", lang)


def reasons_text(codes: list[str] | None, lang: str = "en") -> str:
    """Reason codes in plain words, joined."""
    sep = "、" if lang == "ja" else "; "
    return sep.join(t(f"reason.{c}", lang) for c in (codes or []))


def missing_text(fields: list[str] | None, lang: str = "en") -> str:
    """Missing fields in plain words, joined."""
    sep = "、" if lang == "ja" else ", "
    return sep.join(t(f"field.{f}", lang) for f in (fields or []))
