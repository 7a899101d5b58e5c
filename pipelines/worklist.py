"""The day's work queue for people: the staff lists with what staff need to act and the next step.

``pipelines.api.staff_lists`` gives the rows (SQL); this module words them in either language with the
numbers of the settings, for the Today page, ``python -m pipelines today`` and the digest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pandas as pd

from pipelines.export import calendar_ics, safe_csv
from pipelines.i18n import (
    day_text,
    missing_text,
    reasons_text,
    requested_text,
    status_label,
    t,
    yen,
)
from pipelines.office.marks import MarksState
from pipelines.settings import Settings
from pipelines.vocabulary import MISSING_FIELD_CODES, STAFF_LIST_BY_NAME, STAFF_LISTS, TIME_ZONE

EXCERPT_CHARS = 80
# Quotes due more than this many calendar days ago are folded under "older than N days" on Today
# (still on the list and in the report): a month without a quote has almost surely lost the customer,
# and months-old items must not bury today's (docs/work.md "Quotes due").
OLD_OVERDUE_DAYS = 30


@dataclass(frozen=True)
class WorkItem:
    """One item of a staff list, ready to show: who, how to reach them, what to do next."""

    list: str
    inquiry_id: str
    customer_name: str  # "(no name)" when blank
    customer_email: str | None
    target_phone: str | None
    requested_for: str  # date (and time when given), in the chosen language; a day read from the
    # message is marked as such with its words (i18n.requested_text)
    requested_date: date | None
    service: str | None
    message_excerpt: str
    quoted_amount: str  # "—" when not quoted
    quoted_amount_jpy: int | None
    latest_quote_staff: str | None
    next_step: str
    overdue: bool
    staff_attributes: tuple[str, ...] = ()
    # the office's marks (pipelines.office.marks): who holds it, handled for the day, snoozed, notes
    holder: str | None = None
    done: bool = False
    snoozed_until: date | None = None
    notes: tuple[dict[str, str], ...] = ()  # {"who", "at" (UTC ISO 8601), "text"}, oldest first
    status: str = ""
    reason_codes: tuple[str, ...] = ()
    rule_breaks: str = (
        ""  # the rules a contracted_against_rules item breaks, in words ("" otherwise)
    )
    overdue_days: int | None = None  # Quotes due: calendar days past quote_due_date (0: due today)
    requested_date_from_message: bool = False  # requested_for blank: the day the message names
    reasons: str = ""  # the reason codes in words, in the chosen language (i18n.reasons_text)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON and CSV."""
        out = asdict(self)
        out["requested_date"] = self.requested_date.isoformat() if self.requested_date else None
        out["snoozed_until"] = self.snoozed_until.isoformat() if self.snoozed_until else None
        out["staff_attributes"] = list(self.staff_attributes)
        out["notes"] = [dict(n) for n in self.notes]
        out["reason_codes"] = list(self.reason_codes)
        return out

    @property
    def marked_off(self) -> bool:
        """Done or snoozed: off the list unless asked for everything."""
        return self.done or self.snoozed_until is not None


def _text(value: object) -> str | None:
    if value is None or value != value:
        return None
    text = str(value).strip()
    return text or None


def _seq(value: object) -> list:
    """A list column's value (list, numpy array or None) as a list."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return list(value)


def excerpt(message: object, limit: int = EXCERPT_CHARS) -> str:
    """The start of a message on one line, cut at limit characters with an ellipsis."""
    text = " ".join((_text(message) or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rule_breaks(
    row: dict[str, Any], lang: str, settings: Settings, missing_key: str = "step.break_missing"
) -> str:
    """The rules a contract breaks, with this inquiry's facts ("" when it breaks none)."""
    missing = _seq(row.get("missing_fields"))
    codes = _seq(row.get("reason_codes"))
    parts = []
    if "LATE_CONTRACT" in codes:
        days = row["contract_lead_days"]
        key = "step.check_late.same_day" if days == 0 else "step.check_late"
        parts.append(t(key, lang, settings, days=days))
    if "NO_PRIOR_QUOTE" in codes:
        parts.append(t("step.check_no_quote", lang, settings))
    if any(MISSING_FIELD_CODES[f] in codes for f in missing):
        parts.append(t(missing_key, lang, settings, fields=missing_text(missing, lang)))
    sep = "；" if lang == "ja" else "; "
    return sep.join(parts)


def _attention_step(row: dict[str, Any], lang: str, settings: Settings) -> str:
    checks = rule_breaks(row, lang, settings, "step.ask_missing")
    return t("step.attention", lang, settings, checks=checks)


def _sign_by_step(row: dict[str, Any], lang: str, settings: Settings) -> str:
    missing = _seq(row.get("missing_fields"))
    deadline = day_text(row["sign_by_date"], lang)
    today = row["sign_by_date"] == row["as_of_date"]
    if missing:  # the last day is today, or a day off before the next business day: sign today
        fields = missing_text(missing, lang)
        key = "step.sign_by_missing" if today else "step.sign_by_missing_day_off"
        return t(key, lang, settings, fields=fields, date=deadline)
    if not today:  # the last day falls on a day off
        key = "step.sign_by_day_off" if row.get("quoted") else "step.sign_by_day_off_unquoted"
        return t(key, lang, settings, date=deadline)
    if not row.get("quoted"):
        return t("step.sign_by_unquoted", lang, settings)
    return t("step.sign_by", lang, settings)


def _quote_due_step(row: dict[str, Any], lang: str, settings: Settings) -> str:
    if row.get("overdue"):
        return t(
            "step.quote_overdue",
            lang,
            settings,
            date=day_text(row["quote_due_date"], lang),
            days=f"{overdue_days(row):,}",
        )
    return t("step.quote_due", lang, settings)


def overdue_days(row: dict[str, Any]) -> int | None:
    """Calendar days from a Quotes due item's quote_due_date to its day A (0: due today)."""
    due, day = row.get("quote_due_date"), row.get("as_of_date")
    if due is None or day is None or due != due or day != day:
        return None
    return (pd.Timestamp(day) - pd.Timestamp(due)).days


def quote_due_groups(
    frame: pd.DataFrame, old_after: int = OLD_OVERDUE_DAYS
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The Quotes due rows (api.staff_lists) in three parts for people: due today, overdue up to
    old_after days (most recently overdue first), and overdue longer (days) — every row in one part."""
    if frame.empty:
        return frame, frame, frame
    days = (pd.to_datetime(frame["as_of_date"]) - pd.to_datetime(frame["quote_due_date"])).dt.days
    return (
        frame[days <= 0].reset_index(drop=True),
        frame[(days > 0) & (days <= old_after)].reset_index(drop=True),
        frame[days > old_after].reset_index(drop=True),
    )


def _follow_up_step(row: dict[str, Any], lang: str, settings: Settings) -> str:
    date_text = day_text(row["silent_after_date"], lang)
    return t("step.follow_up", lang, settings, days=row["days_since_quote"], date=date_text)


# Lists whose next step depends on more than one date; any other list says step.<name> with {date}
# from its registered step_date column (pipelines.vocabulary.STAFF_LIST_REGISTRY).
STEPS: dict[str, Callable[[dict[str, Any], str, Settings], str]] = {
    "attention": _attention_step,
    "sign_by": _sign_by_step,
    "quote_due": _quote_due_step,
    "follow_up": _follow_up_step,
}


def next_step(name: str, row: dict[str, Any], lang: str, settings: Settings) -> str:
    """The next step for one list item in plain words, with its numbers."""
    if name not in STAFF_LIST_BY_NAME:
        raise ValueError(f"unknown staff list {name!r}")
    if name in STEPS:
        return STEPS[name](row, lang, settings)
    column = STAFF_LIST_BY_NAME[name].step_date
    if column is None:
        step = t(f"step.{name}", lang, settings)
    else:
        step = t(f"step.{name}", lang, settings, date=day_text(row[column], lang))
    if row.get("status") == "contracted_against_rules":  # a call that breaks a rule says which
        breaks = rule_breaks(row, lang, settings)
        return t("step.against_rules", lang, settings, step=step, checks=breaks)
    return step


def _day(value: object) -> date | None:
    if value is None or value != value:
        return None
    return pd.Timestamp(value).date()


def marked_off(frame: pd.DataFrame) -> pd.Series:
    """Which of a list's rows are marked done or snoozed (a boolean per row)."""
    return frame["done"].astype(bool) | frame["snoozed_until"].notna()


def visible(frame: pd.DataFrame, include_marked: bool = False) -> pd.DataFrame:
    """A list's rows without those marked done or snoozed (all of them when include_marked)."""
    if include_marked or "done" not in frame.columns or frame.empty:
        return frame
    return frame[~marked_off(frame)].reset_index(drop=True)


def list_items(
    name: str,
    frame: pd.DataFrame,
    lang: str,
    settings: Settings,
    limit: int | None = None,
    marks: MarksState | None = None,
) -> list[WorkItem]:
    """One staff list's rows (from api.staff_lists) as WorkItems in the chosen language; the first
    limit. With the office's marks, each item says who holds it and carries its notes."""
    items = []
    for row in (frame if limit is None else frame.head(limit)).to_dict("records"):
        requested = row.get("requested_date")
        notes = marks.notes.get(row["inquiry_id"], []) if marks is not None else []
        items.append(
            WorkItem(
                list=name,
                inquiry_id=row["inquiry_id"],
                customer_name=_text(row.get("customer_name")) or t("blank.name", lang),
                customer_email=_text(row.get("customer_email")),
                target_phone=_text(row.get("target_phone")),
                requested_for=requested_text(row, lang) or "—",
                requested_date_from_message=bool(row.get("requested_date_from_message")),
                requested_date=None
                if requested is None or requested != requested
                else pd.Timestamp(requested).date(),
                service=_text(row.get("service")),
                message_excerpt=excerpt(row.get("message")),
                quoted_amount=yen(row.get("quoted_amount_jpy"), lang),
                quoted_amount_jpy=None
                if _text(row.get("quoted_amount_jpy")) is None
                else int(row["quoted_amount_jpy"]),
                latest_quote_staff=_text(row.get("latest_quote_staff")),
                next_step=next_step(name, row, lang, settings),
                overdue=bool(row.get("overdue")) and name == "quote_due",
                staff_attributes=tuple(_seq(row.get("staff_attributes"))),
                holder=marks.holder(row["inquiry_id"]) if marks is not None else None,
                done=bool(row.get("done")),
                snoozed_until=_day(row.get("snoozed_until")),
                notes=tuple({"who": n.who, "at": n.at.isoformat(), "text": n.text} for n in notes),
                status=_text(row.get("status")) or "",
                reason_codes=tuple(_seq(row.get("reason_codes"))),
                reasons=reasons_text(_seq(row.get("reason_codes")), lang, settings),
                rule_breaks=rule_breaks(row, lang, settings)
                if row.get("status") == "contracted_against_rules"
                else "",
                overdue_days=overdue_days(row) if name == "quote_due" else None,
            )
        )
    return items


def work_items(
    lists: dict[str, pd.DataFrame],
    lang: str,
    settings: Settings,
    marks: MarksState | None = None,
    include_marked: bool = False,
) -> dict[str, list[WorkItem]]:
    """The staff lists (from api.staff_lists) as WorkItems in the chosen language, list by list;
    items marked done or snoozed are left out unless include_marked."""
    return {
        name: list_items(name, visible(lists[name], include_marked), lang, settings, marks=marks)
        for name in STAFF_LISTS
    }


def mine(items: dict[str, list[WorkItem]], person: str) -> dict[str, list[WorkItem]]:
    """My work: the items the person holds plus those nobody holds."""
    return {name: [i for i in found if i.holder in (None, person)] for name, found in items.items()}


def item_lines(item: WorkItem, lang: str) -> list[str]:
    """One item as indented lines of text for the CLI: who and when, how to reach them, the
    message's start, the latest quote and staff wishes, then the next step."""
    phone = item.target_phone or t("blank.phone", lang)
    lines = [
        f"  {item.inquiry_id}  {item.customer_name}  {phone}  {item.requested_for}"
        f"  {item.service or ''}".rstrip()
    ]
    details = [
        (t("col.customer_email", lang), item.customer_email),
        (t("col.message", lang), item.message_excerpt or None),
        (
            t("col.amount_jpy", lang),
            None if item.quoted_amount_jpy is None else f"{item.quoted_amount_jpy:,}",
        ),
        (t("col.quote_staff", lang), item.latest_quote_staff),
        (
            t("col.staff_request", lang),
            ("、" if lang == "ja" else ", ").join(item.staff_attributes),
        ),
    ]
    sep = "：" if lang == "ja" else ": "
    lines += [f"      {label}{sep}{value}" for label, value in details if value]
    lines.append(f"      → {item.next_step}")
    return lines


def holder_text(who: str | None, lang: str, names: Mapping[str, str] | None = None) -> str:
    """Who made a mark, as people read it: "this computer" for one made without an account
    (os:<user>), an account's display name from names (login name → display name), else the name
    as recorded; "" for nobody."""
    if not who:
        return ""
    if who.startswith("os:"):
        return t("work.this_computer", lang)
    return (names or {}).get(who) or who


def mark_state_text(item: WorkItem, lang: str) -> str:
    """An item's done and snoozed marks in words, as its card says them ("" for neither)."""
    parts = []
    if item.snoozed_until:
        parts.append(t("work.snoozed_until", lang, day=day_text(item.snoozed_until, lang)))
    if item.done:
        parts.append(t("work.state_done", lang))
    return " · ".join(parts)


def latest_note_text(item: WorkItem, lang: str, names: Mapping[str, str] | None = None) -> str:
    """An item's newest note with who wrote it and when (Japan time), "" without notes."""
    from pipelines.periods import stamp_text  # (it reads the database's freshness: duckdb)

    if not item.notes:
        return ""
    note = item.notes[-1]
    at = datetime.fromisoformat(note["at"]).astimezone(ZoneInfo(TIME_ZONE))
    when = stamp_text(at, lang)
    return t(
        "queue.note", lang, text=note["text"], who=holder_text(note["who"], lang, names), at=when
    )


# The work queue's columns (WorkItem fields, or words made of them) and their headings, for people
# opening it in Excel: status and reasons in words, the office's marks, and last the codes (for
# filters that must not depend on the language; docs/work.md "The work queue's downloads").
CSV_COLUMNS: dict[str, str] = {
    "list": "col.list",
    "inquiry_id": "col.inquiry_id",
    "customer_name": "col.customer_name",
    "target_phone": "col.target_phone",
    "customer_email": "col.customer_email",
    "requested_for": "col.requested_for",
    "requested_date": "col.requested_date",
    "requested_date_from_message": "col.requested_date_from_message",
    "service": "col.service",
    "next_step": "col.next_step",
    "status": "col.status",
    "reasons": "col.reasons",
    "holder": "col.holder",
    "mark_state": "col.mark_state",
    "snoozed_until": "col.snoozed_until",
    "notes_count": "col.notes_count",
    "latest_note": "col.latest_note",
    "overdue": "col.overdue",
    "quoted_amount_jpy": "col.amount_jpy",
    "latest_quote_staff": "col.quote_staff",
    "staff_attributes": "col.staff_request",
    "message_excerpt": "col.message",
    "status_code": "col.status_code",
    "reason_codes": "col.reason_codes",
}


def queue_frame(
    items: dict[str, list[WorkItem]], lang: str = "en", names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Every item of every list, list by list, as one table: headings, list names, status and
    reasons in the chosen language, who holds it (names: login name → display name), done or
    snoozed, the notes' count and the newest one, the requested and snoozed-until dates as dates,
    amounts in whole yen, and last the status and reason codes (the CSV and the .xlsx)."""
    yes, no = t("common.yes", lang), t("common.no", lang)
    joiner = "、" if lang == "ja" else ", "
    rows = []
    for name in STAFF_LISTS:
        for item in items[name]:
            values = item.as_dict() | {
                "list": t(f"list.{name}", lang),
                "requested_date": item.requested_date,
                "overdue": yes if item.overdue else no,
                "requested_date_from_message": yes if item.requested_date_from_message else no,
                "staff_attributes": joiner.join(item.staff_attributes),
                "status": status_label(item.status, lang) if item.status else "",
                "holder": holder_text(item.holder, lang, names),
                "mark_state": mark_state_text(item, lang),
                "snoozed_until": item.snoozed_until,
                "notes_count": len(item.notes),
                "latest_note": latest_note_text(item, lang, names),
                "status_code": item.status,
                "reason_codes": " ".join(item.reason_codes),
            }
            rows.append([values[field] for field in CSV_COLUMNS])
    frame = pd.DataFrame(rows, columns=[t(key, lang) for key in CSV_COLUMNS.values()])
    for key in ("col.amount_jpy", "col.notes_count"):
        frame[t(key, lang)] = frame[t(key, lang)].astype("Int64")
    return frame


def queue_csv(
    items: dict[str, list[WorkItem]], lang: str = "en", names: Mapping[str, str] | None = None
) -> bytes:
    """Every item of every list as one spreadsheet-safe CSV (UTF-8 with BOM), see queue_frame."""
    return safe_csv(queue_frame(items, lang, names))


def queue_xlsx(
    items: dict[str, list[WorkItem]], lang: str = "en", names: Mapping[str, str] | None = None
) -> bytes:
    """Every item of every list as an .xlsx workbook with typed cells (IDs and phone numbers as
    text, the requested and snoozed-until dates as dates, yen and note counts as numbers), see
    queue_frame."""
    from pipelines.xlsx import frame_xlsx

    return frame_xlsx(queue_frame(items, lang, names), t("today.sheet", lang))


def queue_file(
    lists: dict[str, pd.DataFrame],
    db_path: str | Path,
    lang: str,
    settings: Settings,
    kind: Literal["csv", "xlsx"] = "csv",
    include_marked: bool = False,
) -> bytes:
    """The work queue download (bytes of a CSV or .xlsx) of the staff lists (api.staff_lists, with
    details), with the office's marks read from the store beside db_path: who holds each item (the
    account's display name), the notes, and the done and snoozed items when include_marked."""
    from pipelines.office.accounts import display_names
    from pipelines.office.marks import state

    items = work_items(lists, lang, settings, state(db_path), include_marked)
    names = display_names(db_path)
    return queue_xlsx(items, lang, names) if kind == "xlsx" else queue_csv(items, lang, names)


def upcoming_calendar(items: list[WorkItem], day: date, lang: str) -> bytes:
    """The Upcoming calls list as an iCalendar file (one event per call, fixed DTSTAMP = day)."""
    events = []
    for item in items:
        start: date | datetime = item.requested_date
        if not item.requested_date_from_message and ":" in item.requested_for:
            hh, mm = item.requested_for.rsplit(" ", 1)[1].split(":")
            start = datetime(start.year, start.month, start.day, int(hh), int(mm))
        phone = item.target_phone or t("blank.phone", lang)
        lines = [item.inquiry_id, phone, item.service or "", item.next_step]
        if item.requested_date_from_message:  # the day was read from the message: say so
            lines.insert(1, f"{t('col.requested_date', lang)}: {item.requested_for}")
        if item.staff_attributes:
            lines.append(", ".join(item.staff_attributes))
        summary = f"{item.customer_name} — {item.service or ''}".strip(" —")
        if item.rule_breaks:  # a contract against the rules says so where the calendar shows it
            summary = t("ics.against_rules", lang, checks=item.rule_breaks) + " " + summary
        events.append(
            {
                "uid": f"{item.inquiry_id}@opsdash",
                "summary": summary,
                "description": "\n".join(x for x in lines if x),
                "start": start,
            }
        )
    return calendar_ics(events, day, t("list.upcoming", lang))
