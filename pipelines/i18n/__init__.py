"""Every user-facing word, in English and Japanese: statuses, reasons, rules, lists, labels, messages.

``t(key, lang, settings, **values)`` looks a string up and fills its ``{placeholders}``: numbers of the
rules ({min_lead_days}, {silence_days}, {sla_days}, {follow_up_days}, {upcoming_days},
{hourly_cost_jpy}) come from the settings passed in, so with min_lead_days = 5 no text says "3 days".
A placeholder left unfilled is an error, caught by the tests (every key has both languages).
"""

from __future__ import annotations

import string
from datetime import date, datetime

from pipelines.i18n.domain import DOMAIN
from pipelines.i18n.ui import UI
from pipelines.settings import Settings

LANGS = ("en", "ja")
WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
}

# Each part holds the words of one area; a key is defined once across them (a test checks).
PARTS: tuple[dict[str, dict[str, str]], ...] = (DOMAIN, UI)
STRINGS: dict[str, dict[str, str]] = {k: v for part in PARTS for k, v in part.items()}


_FORMATTER = string.Formatter()


def placeholders(key: str) -> set[str]:
    """The {names} a string needs, in either language."""
    names: set[str] = set()
    for text in STRINGS[key].values():
        names |= {
            field.split(".")[0].split("[")[0] for _, field, _, _ in _FORMATTER.parse(text) if field
        }
    return names


def t(key: str, lang: str = "en", settings: Settings | None = None, **values: object) -> str:
    """The text for key in lang ('en' or 'ja'), placeholders filled from values and the settings.

    A text that needs a number of the rules and gets no settings raises KeyError: no sentence may
    fall back to a default such as "3 days".
    """
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    if "{" not in text:
        return text
    fill = {**(settings.wording() if settings is not None else {}), **values}
    return text.format_map(fill)


def status_label(status: str, lang: str = "en") -> str:
    """A status in plain words."""
    return t(f"status.{status}", lang)


def reasons_text(codes: list[str] | None, lang: str, settings: Settings) -> str:
    """Reason codes as short labels, joined."""
    sep = "、" if lang == "ja" else "; "
    return sep.join(t(f"reason.{c}", lang, settings) for c in (codes or []))


def missing_text(fields: list[str] | None, lang: str = "en") -> str:
    """Missing fields in plain words, joined."""
    sep = "、" if lang == "ja" else ", "
    return sep.join(t(f"field.{f}", lang) for f in (fields or []))


def _is_blank(value: object) -> bool:
    """None, NaN, NaT, pandas' NA, or text of nothing but white space."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA cannot be compared
        return True


def day_text(value: object, lang: str = "en") -> str:
    """A calendar date for people: '11/20 (Fri)' / '11/20（金）', with the year when not the current one."""
    if _is_blank(value):
        return ""
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date):
        day = date.fromisoformat(str(value)[:10])
    weekday = WEEKDAYS[lang][day.weekday()]
    text = f"{day.year}/{day.month}/{day.day}"
    return f"{text}（{weekday}）" if lang == "ja" else f"{text} ({weekday})"


def when_text(value: object, lang: str = "en") -> str:
    """A requested date-time for people: the date alone when no time was given, '' when blank."""
    if _is_blank(value):
        return ""
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    text = day_text(stamp.date(), lang)
    if (stamp.hour, stamp.minute) != (0, 0):
        text += f" {stamp:%H:%M}"
    return text


def yen(value: object, lang: str = "en") -> str:
    """An amount in yen, one way per language: '¥12,000' / '12,000円'; '—' when blank."""
    if _is_blank(value):
        return "—"
    amount = round(float(value))
    return f"{amount:,}円" if lang == "ja" else f"¥{amount:,}"


def trace_text(row: dict[str, object], lang: str, settings: Settings) -> str:
    """One rule_trace row as a sentence stating the inquiry's facts."""
    rule, verdict = row["rule"], row["verdict"]
    key = f"trace.{rule}.{verdict}"
    if rule == "quote_turnaround" and verdict == "broken" and not _is_blank(row.get("days")):
        key = "trace.quote_turnaround.broken_quoted"
    elif rule == "customer_decision" and verdict == "broken":
        key = f"trace.customer_decision.broken_{row['detail']}"
    elif rule == "contract_lead" and verdict == "met" and _is_blank(row.get("days")):
        key = "trace.contract_lead.met_undated"
    detail = row.get("detail")
    if rule == "completeness" and not _is_blank(detail):
        detail = missing_text(str(detail).split(","), lang)
    elif rule in ("quote_turnaround", "silence") and not _is_blank(detail):
        detail = day_text(detail, lang)
    values = {
        "days": "" if _is_blank(row.get("days")) else int(row["days"]),
        "needed": "" if _is_blank(row.get("needed")) else int(row["needed"]),
        "on_date": day_text(row.get("on_date"), lang),
        "detail": "" if _is_blank(detail) else detail,
    }
    return t(key, lang, settings, **values)
