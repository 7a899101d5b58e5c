"""Reply drafts (SPEC "Reply drafts"): the reply an inquiry's rules call for, in the customer's language.

Templates live in the settings file's ``[drafts.<reason>]`` tables (``subject_ja``, ``body_ja``,
``subject_en``, ``body_en``); the bundled ``settings.toml`` has every one, and an office's file may
override some. They are filled with the inquiry's facts and the settings' numbers (min_lead_days = 5:
the text says 5 days). Which reply: a rejected inquiry gets the refusal; one missing details the
request for them; one on the Sign-by list the last-day reminder; on Follow up the reminder before
silence; a contracted one the confirmation. Others get none.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pipelines.i18n import missing_text, t, yen
from pipelines.settings import DEFAULT_SETTINGS_PATH, Settings

REASONS = ("missing", "refusal_urgent", "refusal_late", "follow_up", "sign_by", "contracted")
FIELDS = ("subject_ja", "body_ja", "subject_en", "body_en")
PLACEHOLDERS = (
    "customer_name",
    "inquiry_id",
    "service",
    "received_date",
    "requested_date",
    "sign_by_date",
    "quoted_amount",
    "missing_fields",
    "min_lead_days",
    "silence_days",
    "follow_up_days",
)
MAILTO_LIMIT = 1800  # characters of a mailto: URL that mail programs and browsers reliably accept
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z]")
_WEEKDAYS = {"ja": "月火水木金土日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


@dataclass(frozen=True)
class Draft:
    """One reply, ready to send: its reason, language, address, subject and body."""

    inquiry_id: str
    reason: str
    lang: str
    to: str
    subject: str
    body: str

    def as_dict(self) -> dict[str, str]:
        """Plain values for JSON."""
        return dict(self.__dict__)


def check_templates(table: dict[str, Any], source: str) -> None:
    """Refuse a [drafts] table with unknown reasons, fields or placeholders (ValueError names which)."""
    for reason, entry in table.items():
        if reason not in REASONS:
            raise ValueError(f"{source}: [drafts.{reason}] is not a reason ({', '.join(REASONS)})")
        if not isinstance(entry, dict):
            raise ValueError(f"{source}: [drafts.{reason}] must be a table")
        for name, text in entry.items():
            if name not in FIELDS or not isinstance(text, str):
                raise ValueError(
                    f"{source}: drafts.{reason}.{name} must be one of {', '.join(FIELDS)}, as text"
                )
            try:
                used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
            except ValueError as exc:
                raise ValueError(f"{source}: drafts.{reason}.{name}: {exc}") from None
            unknown = sorted(used - set(PLACEHOLDERS))
            if unknown:
                raise ValueError(
                    f"{source}: drafts.{reason}.{name} uses unknown {{{unknown[0]}}} "
                    f"(known: {', '.join(PLACEHOLDERS)})"
                )


def templates(settings: Settings) -> dict[str, dict[str, str]]:
    """Every reason's templates: the settings file's, the bundled defaults where it has none."""
    import tomllib

    bundled = tomllib.loads(DEFAULT_SETTINGS_PATH.read_text(encoding="utf-8-sig")).get("drafts", {})
    chosen = settings.table("drafts")
    return {r: {**bundled.get(r, {}), **chosen.get(r, {})} for r in REASONS}


def guess_language(message: object) -> str:
    """The customer's language from their message: 'en' when it is English, else 'ja'."""
    text = "" if message is None or message != message else str(message)
    if _JAPANESE.search(text) or not _LATIN.search(text):
        return "ja"
    return "en"


def reason_for(facts: dict[str, Any], lists: set[str]) -> str | None:
    """Which reply the inquiry's rules call for (None: none)."""
    status = facts.get("status")
    if status == "rejected_urgent":
        return "refusal_urgent"
    if status == "rejected_late_request":
        return "refusal_late"
    if status in ("open", "incomplete", "contracted_against_rules") and len(
        _seq(facts.get("missing_fields"))
    ):
        return "missing"
    if "sign_by" in lists:
        return "sign_by"
    if "follow_up" in lists:
        return "follow_up"
    if status in ("contracted", "contracted_against_rules"):
        return "contracted"
    return None


def _seq(value: object) -> list:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return list(value)


def _given(value: object) -> bool:
    return value is not None and value == value  # NaN and NaT are unequal to themselves


def letter_date(value: object, lang: str) -> str:
    """A date as a letter writes it, with the year: 2026年12月1日（火） / Tue, December 1, 2026."""
    if value is None or value != value:  # NaN and NaT are unequal to themselves
        return "—"
    if not isinstance(value, date):  # text or numpy.datetime64; a pandas Timestamp is a date
        import pandas as pd

        value = pd.Timestamp(value).date()
    day = value
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS['ja'][day.weekday()]}）"
    return f"{_WEEKDAYS['en'][day.weekday()]}, {day:%B} {day.day}, {day.year}"


def _office_day_by(day: Any, settings: Settings) -> Any:
    """The last business day on or before day: a contract is signed on a day the office works, so
    a last day that falls on a weekend, holiday or closure moves back (as the Sign-by list says)."""
    if not _given(day):
        return day
    from datetime import date, timedelta

    from pipelines.calendar import is_business_day

    moved = date.fromisoformat(str(day)[:10])
    for _ in range(60):  # the longest closure is far shorter
        if is_business_day(moved, settings):
            return moved
        moved -= timedelta(days=1)
    return day


def fill_values(facts: dict[str, Any], lang: str, settings: Settings) -> dict[str, str]:
    """The placeholders' values for one inquiry (facts: a row of inquiry_detail) in lang."""
    name = str(facts.get("customer_name") or "").strip() or t("drafts.customer", lang)
    missing = missing_text(_seq(facts.get("missing_fields")), lang)
    requested = next(
        (v for v in (facts.get("requested_date"), facts.get("message_date")) if _given(v)), None
    )
    asked = letter_date(requested, lang) if requested is not None else t("drafts.asked_day", lang)
    if requested is not None and not _given(facts.get("requested_for")):
        # a day read from the message: the letter says which words it was read from
        words = facts.get("message_evidence")
        if _given(words):
            asked = t("drafts.asked_day_from_message", lang, day=asked, words=str(words))
    return {
        "customer_name": name,
        "inquiry_id": str(facts["inquiry_id"]),
        "service": str(facts.get("service") or "").strip() or "—",
        "received_date": letter_date(facts.get("received_date"), lang),
        # the requested date, else the day the message named, else "the day you asked for"
        "requested_date": asked,
        "sign_by_date": letter_date(_office_day_by(facts.get("sign_by_date"), settings), lang),
        "quoted_amount": yen(facts.get("quoted_amount_jpy"), lang),
        "missing_fields": missing or "—",
        "min_lead_days": str(settings.min_lead_days),
        "silence_days": str(settings.silence_days),
        "follow_up_days": str(settings.follow_up_days),
    }


def draft_for(
    facts: dict[str, Any],
    lists: set[str],
    settings: Settings,
    lang: str | None = None,
    reason: str | None = None,
) -> Draft | None:
    """The reply for one inquiry (None when its rules call for none), in lang or the guessed one."""
    reason = reason or reason_for(facts, lists)
    if reason is None:
        return None
    lang = lang or guess_language(facts.get("message"))
    chosen = templates(settings)[reason]
    values = fill_values(facts, lang, settings)
    return Draft(
        inquiry_id=str(facts["inquiry_id"]),
        reason=reason,
        lang=lang,
        to=str(facts.get("customer_email") or "").strip(),
        subject=chosen[f"subject_{lang}"].format_map(values),
        body=chosen[f"body_{lang}"].format_map(values),
    )


def mailto(draft: Draft, limit: int = MAILTO_LIMIT) -> str:
    """A mailto: link with the address, subject and body percent-encoded, at most limit characters:
    a body too long for it is cut, with a note saying so at the end."""

    def url(body: str) -> str:
        return (
            f"mailto:{quote(draft.to, safe='@')}?subject={quote(draft.subject, safe='')}"
            f"&body={quote(body, safe='')}"
        )

    full = url(draft.body)
    if len(full) <= limit:
        return full
    note = "\n\n" + t("drafts.trimmed", draft.lang)
    low, high = 0, len(draft.body)  # the longest start of the body that fits with the note
    while low < high:
        mid = (low + high + 1) // 2
        if len(url(draft.body[:mid] + note)) <= limit:
            low = mid
        else:
            high = mid - 1
    return url(draft.body[:low].rstrip() + note)


def _toml_string(text: str) -> str:
    """Text as a TOML basic string (JSON's escapes are TOML's)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def save_template(path: Path, reason: str, lang: str, subject: str, body: str) -> None:
    """Write one reason's subject and body in lang into the settings file at path, atomically.

    The file's other text (comments included) is kept: only the ``[drafts.<reason>]`` table is
    written again, with the other language's texts as they were. The new file is checked by loading
    it before it replaces the old one; a bad template raises ValueError and changes nothing.
    """
    import os
    import tempfile
    import tomllib

    from pipelines.settings import load_settings

    if reason not in REASONS or lang not in ("ja", "en"):
        raise ValueError(f"no template {reason}/{lang}")
    text = path.read_text(encoding="utf-8-sig")
    current = tomllib.loads(text).get("drafts", {}).get(reason, {})
    entry = {**current, f"subject_{lang}": subject, f"body_{lang}": body}
    check_templates({reason: entry}, str(path))
    header = re.compile(rf"^\[drafts\.{reason}\][ \t]*$", re.M)
    found = header.search(text)
    block = f"[drafts.{reason}]\n" + "".join(
        f"{name} = {_toml_string(entry[name])}\n" for name in FIELDS if name in entry
    )
    if found is None:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        following = re.compile(r"^\[", re.M).search(text, found.end())
        end = following.start() if following else len(text)
        text = text[: found.start()] + block + ("\n" if following else "") + text[end:]
    handle, temp = tempfile.mkstemp(prefix=".settings-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        load_settings(temp)  # the whole file must still be valid settings
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
