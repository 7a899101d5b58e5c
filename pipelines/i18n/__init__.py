"""Every user-facing word, in English and Japanese: statuses, reasons, rules, lists, labels, messages.

``t(key, lang, settings, **values)`` looks a string up and fills its ``{placeholders}``: numbers of the
rules ({min_lead_days}, {silence_days}, {sla_days}, {follow_up_days}, {upcoming_days},
{hourly_cost_jpy}) come from the settings passed in, so with min_lead_days = 5 no text says "3 days".
A placeholder left unfilled is an error, caught by the tests (every key has both languages).
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from pipelines.i18n.cli import CLI
from pipelines.i18n.data import DATA
from pipelines.i18n.domain import DOMAIN
from pipelines.i18n.mail import MAIL
from pipelines.i18n.notify import NOTIFY
from pipelines.i18n.owner import OWNER
from pipelines.i18n.people import PEOPLE
from pipelines.i18n.sync import SYNC
from pipelines.i18n.trail import TRAIL
from pipelines.i18n.ui import UI
from pipelines.i18n.work import WORK
from pipelines.settings import Settings

LANGS = ("en", "ja")
LANG_NAMES = {"en": "English", "ja": "日本語"}  # each in its own language, on every page
WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
}

# Each part holds the words of one area; a key is defined once across them (a test checks).
PARTS: tuple[dict[str, dict[str, str]], ...] = (
    DOMAIN,
    UI,
    OWNER,
    DATA,
    MAIL,
    PEOPLE,
    TRAIL,
    WORK,
    SYNC,
    NOTIFY,
    CLI,
)
STRINGS: dict[str, dict[str, str]] = {k: v for part in PARTS for k, v in part.items()}


_FORMATTER = string.Formatter()
# English plurals: the templates say "{n} days", "{n} inquiries"; one of them reads "1 day".
_ONE_DAYS = re.compile(
    r"(?<![\d,.])(1 (?:business day|day|minute|hour|row|file|event|quote|call|item|message|note))s\b"
)
_ONE_INQUIRY = re.compile(r"(?<![\d,.])1 inquiries\b")


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
    text = text.format_map(fill)
    if lang != "en":
        return text
    return _ONE_INQUIRY.sub("1 inquiry", _ONE_DAYS.sub(r"\1", text))


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


def requested_text(row: dict[str, object], lang: str = "en") -> str:
    """The requested date for people: requested_for (when_text), or the day read from the message
    marked as such with its words ('11/22 (Sun) (from the message: “あさって”)'); '' when none."""
    if not _is_blank(row.get("requested_for")) or not row.get("requested_date_from_message"):
        return when_text(row.get("requested_for"), lang)
    words = row.get("message_evidence")
    day = day_text(row.get("requested_date"), lang)
    if _is_blank(words):
        return t("requested.from_message_plain", lang, day=day)
    return t("requested.from_message", lang, day=day, words=str(words))


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
    elif rule == "message_urgency" and verdict == "met" and not _is_blank(row.get("on_date")):
        key = "trace.message_urgency.met_dated"
    elif rule == "contract_lead" and verdict == "met" and _is_blank(row.get("days")):
        key = "trace.contract_lead.met_undated"
    if not _is_blank(row.get("days")) and int(row["days"]) == 0 and f"{key}.same_day" in STRINGS:
        key = f"{key}.same_day"
    detail = row.get("detail")
    if rule == "completeness" and not _is_blank(detail):
        detail = missing_text(str(detail).split(","), lang)
    elif rule in ("quote_turnaround", "silence") and not _is_blank(detail):
        detail = day_text(detail, lang)
    elif rule == "message_urgency" and verdict == "broken" and not _is_blank(detail):
        detail = evidence_text(str(detail), row.get("on_date"), lang)
    values = {
        "days": "" if _is_blank(row.get("days")) else int(row["days"]),
        "needed": "" if _is_blank(row.get("needed")) else int(row["needed"]),
        "on_date": day_text(row.get("on_date"), lang),
        "detail": "" if _is_blank(detail) else detail,
    }
    return t(key, lang, settings, **values)


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def evidence_text(words: str, on_date: object, lang: str) -> str:
    """The message's words with the day they name: 「あさって（11月22日）」 / “the day after tomorrow
    (Nov 22)”; the words alone when they name no day (至急, ASAP)."""
    if _is_blank(on_date):
        return words
    day = on_date.date() if isinstance(on_date, datetime) else on_date
    if not isinstance(day, date):
        day = date.fromisoformat(str(on_date)[:10])
    named = (
        f"{day.month}月{day.day}日" if lang == "ja" else f"{_MONTHS_EN[day.month - 1]} {day.day}"
    )
    return t("evidence.dated", lang, words=words, day=named)


def load_problems_text(
    result: object, lang: str, held_back: Sequence[Mapping[str, object]] = ()
) -> str:
    """What a load did, leading with it: of the rows read, how many were already loaded, replaced
    rows of the same inquiry ID, new and held back (quarantined), why (the first held-back rows of held_back, quarantine table rows), and
    the quote-log events waiting for their inquiry (counts)."""
    parts = [p for p in getattr(result, "parts", ()) if not p.already_loaded]
    replaced = sum(p.rows_replaced for p in parts)  # inquiries: a later row with the same ID
    loaded = sum(p.rows_loaded for p in parts) - replaced
    duplicate = sum(p.rows_duplicate for p in parts)
    held = getattr(result, "rows_quarantined", 0)
    pieces = [t("load.outcome.duplicate", lang, n=duplicate)] if duplicate else []
    if replaced:
        pieces.append(t("load.outcome.replaced", lang, n=replaced))
    pieces.append(
        t("load.outcome.loaded", lang, n=loaded) if loaded else t("load.outcome.none_new", lang)
    )
    if held:
        pieces.append(t("load.outcome.held", lang, n=held))
    sep = "、" if lang == "ja" else ", "
    read = sum(p.rows_read for p in parts)
    said = [t("load.outcome.lead", lang, read=read, what=sep.join(pieces))]
    if held and held_back:
        shown = [held_back_line(row, lang) for row in list(held_back)[: min(held, 3)]]
        if held > len(shown):
            shown.append(t("load.outcome.more", lang, n=held - len(shown)))
        said.append(
            t("load.outcome.why", lang, reasons=("；" if lang == "ja" else "; ").join(shown))
        )
    waiting = getattr(result, "waiting_events", 0)
    if waiting:
        said.append(t("load.outcome.waiting", lang, n=waiting))
    return ("" if lang == "ja" else " ").join(said)


def held_back_line(row: Mapping[str, object], lang: str) -> str:
    """One quarantined row as 'file line 7: its reason' in lang."""
    where = str(row.get("file_name") or "")
    if not _is_blank(row.get("sheet")):
        where += f" [{row['sheet']}]"
    reason = quarantine_text(
        row.get("reason_code"), row.get("column_name"), row.get("reason_params"), lang
    )
    return t("load.outcome.line", lang, where=where, line=row.get("line"), reason=reason)


def verdict_text(rule: str, verdict: str, lang: str) -> str:
    """A rule's verdict in a word; a customer's own decision is never called a violation."""
    key = f"verdict.{rule}.{verdict}"
    return t(key if key in STRINGS else f"verdict.{verdict}", lang)


def refusal_text(exc: Exception, lang: str) -> str:
    """A refused file's message in lang: the file's name and the problem, worded from its code and
    parameters (FileRefused.code, .params); a refusal without them is shown as it was raised."""
    code = getattr(exc, "code", None)
    params = getattr(exc, "params", None) or {}
    key = f"refused.{code}"
    if code is None or key not in STRINGS or not placeholders(key) <= set(params):
        return str(exc)
    return f"{getattr(exc, 'name', '')}: {t(key, lang, **params)}"


def cli_error_text(exc: BaseException, lang: str, **defaults: object) -> str:
    """An error's message in lang: a refused file by its refusal code, an error carrying a code
    (pipelines.coded) as cli.err.<code>; anything else as it was raised (English)."""
    if getattr(exc, "name", None) is not None and f"refused.{getattr(exc, 'code', '')}" in STRINGS:
        return refusal_text(exc, lang)  # type: ignore[arg-type]
    code = getattr(exc, "code", None)
    params = {**defaults, **(getattr(exc, "params", None) or {})}
    key = f"cli.err.{code}"
    if not isinstance(code, str) or key not in STRINGS or not placeholders(key) <= set(params):
        return str(exc)
    return t(key, lang, **params)


def column_label(name: str, lang: str) -> str:
    """An export column's name as people read it (col.<name> where there are words for it)."""
    key = f"col.{name}"
    return t(key, lang) if key in STRINGS else name


def _problems(codes: object, columns: object, params: object) -> list[tuple[str, str | None, dict]]:
    """(code, column or None, parameters) of each problem of a quarantined row."""
    code_list = [] if _is_blank(codes) else [c.strip() for c in str(codes).split(",")]
    column_list = [] if _is_blank(columns) else [c.strip() for c in str(columns).split(",")]
    if len(column_list) != len(code_list) or code_list == ["legacy_text"]:
        column_list = [None] * len(code_list)  # a row that could not be split: no column to name
    try:
        values = json.loads(params) if isinstance(params, str) else list(params or [])
    except ValueError:
        values = []
    values = [v if isinstance(v, dict) else {} for v in values]
    values += [{}] * (len(code_list) - len(values))
    return list(zip(code_list, column_list, values, strict=False))


def quarantine_text(codes: object, columns: object, params: object, lang: str) -> str:
    """A quarantined row's reason in lang, worded from its codes (reason_code, one per column of
    column_name) and their parameters (reason_params, a JSON array), each column named."""
    said = []
    for code, column, values in _problems(codes, columns, params):
        key = f"quarantine.{code}"
        if key in STRINGS and placeholders(key) <= set(values):
            text = t(key, lang, **values)
        else:  # a code this version does not know: what there is, never a traceback
            text = " ".join([code, *(str(v) for v in values.values())])
        if column is not None:
            text = f"{column if lang == 'en' else column_label(column, lang)}: {text}"
        said.append(text)
    return ("；" if lang == "ja" else "; ").join(said)


def correction_text(part: object, lang: str, shown: int = 10) -> str:
    """The possible corrections a quote log brought, with up to `shown` of their inquiry IDs."""
    ids = list(part.corrected_inquiries)
    listed = ", ".join(ids[:shown]) + (f", … (+{len(ids) - shown:,})" if len(ids) > shown else "")
    return t("load.possible_corrections", lang, n=part.possible_corrections, inquiries=listed)


def load_part_text(part: object, lang: str, encoding: bool = True) -> str:
    """One file's (or sheet's) load outcome as a line in lang; without the text encoding it was
    read in when encoding is False (the office's page: the owner finds it under the details)."""
    where = part.file_name + (f" [{part.sheet}]" if part.sheet else "")
    if part.already_loaded:
        return t("load.already", lang, where=where)
    # how the file was read (text encoding, an unusual separator): for the CLI and the owner's details
    how_read = part.encoding
    separator = {"\t": "tab", ";": "semicolon"}.get(getattr(part, "separator", ","))
    if separator:
        how_read += ("、" if lang == "ja" else ", ") + t(f"load.separator.{separator}", lang)
    text = t(
        "load.part" if encoding else "load.part_office",
        lang,
        where=where,
        kind=t(f"kind.{part.kind}", lang),
        encoding=how_read,
        read=part.rows_read,
        loaded=part.rows_loaded,
        duplicate=part.rows_duplicate,
        quarantined=part.rows_quarantined,
    )
    extra = []
    if part.kind == "inquiries" and part.rows_replaced:
        extra.append(t("load.replaced", lang, n=part.rows_replaced))
    if getattr(part, "rows_blank", 0):
        extra.append(t("load.blank", lang, n=part.rows_blank))
    if part.orphan_events:
        extra.append(t("load.orphans", lang, n=part.orphan_events))
    if getattr(part, "possible_corrections", 0):
        extra.append(correction_text(part, lang))
    if getattr(part, "events_replaced", 0):
        extra.append(t("load.events_replaced", lang, n=part.events_replaced))
    if part.ignored_columns:
        extra.append(t("load.ignored", lang, columns=", ".join(part.ignored_columns)))
    skipped = [
        f"「{sheet}」（{t(f'skip.{code}', lang)}）"
        if lang == "ja"
        else f"{sheet!r} ({t(f'skip.{code}', lang)})"
        for sheet, code in getattr(part, "skipped_sheets", ())
    ]
    if skipped:
        extra.append(
            t(
                "load.skipped_sheets",
                lang,
                sheets="、".join(skipped) if lang == "ja" else ", ".join(skipped),
            )
        )
    sep = "；" if lang == "ja" else "; "
    return text + (sep + sep.join(extra) if extra else "")


def mail_reason_text(code: str, params: dict[str, object], lang: str) -> str:
    """One of the mailbox's reasons (mail.why.<code>) in lang; a parameter that is itself a reason
    ([code, params]) is worded first, and a list is joined the language's way."""
    sep = "、" if lang == "ja" else ", "
    values: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[1], dict):
            value = mail_reason_text(str(value[0]), value[1], lang)
        elif isinstance(value, list | tuple):
            value = sep.join(str(v) for v in value)
        values[name] = value
    return t(f"mail.why.{code}", lang, **values)


def mail_reasons_text(reasons: list, lang: str) -> str:
    """A message's reasons ([code, params] pairs), worded and joined in lang."""
    sep = "。" if lang == "ja" else "; "
    return sep.join(mail_reason_text(str(code), params, lang) for code, params in reasons)


def mail_became_text(became: str, lang: str) -> str:
    """What a message became on the review sheet (an event kind, 'inquiry' or 'not used') in lang."""
    key = f"mail.became.{became.replace(' ', '_')}"
    return t(key if key in STRINGS else f"event.{became}", lang)
