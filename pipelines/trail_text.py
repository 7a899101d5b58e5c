"""The audit trail for people: who as a display name, each kind's details as a sentence in English or
Japanese (pipelines/i18n/trail.py), numbers, days and names as parameters. The machine-readable JSON
stays in the store and in the downloads (docs/people.md); these words are what the owner reads.

A row whose details have an unexpected shape is never an error: its values are shown as recorded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.i18n import STRINGS, day_text, t
from pipelines.periods import stamp_text

JAPAN = ZoneInfo("Asia/Tokyo")
NOTE_CHARS = 80  # a note longer than this is cut with "…" (the JSON column keeps all of it)


def who_text(who: str, names: Mapping[str, str], lang: str) -> str:
    """A trail's 'who' for people: 'Display (login)', the command line or the computer in words."""
    if who.startswith("os:"):
        return t("trail.who.cli", lang, user=who[3:])
    if who == "local":
        return t("trail.who.local", lang)
    display = names.get(who, "")
    if not display or display == who:
        return who
    return t("trail.who.named", lang, display=display, login=who)


def _sep(lang: str) -> str:
    return "、" if lang == "ja" else ", "


def _time(value: object, lang: str) -> str:
    """A recorded UTC stamp as Japan time: 2026/11/20（金） 14:05."""
    stamp = datetime.fromisoformat(str(value))
    return stamp_text(stamp.astimezone(JAPAN) if stamp.tzinfo else stamp, lang)


def _day(value: object, lang: str) -> str:
    return day_text(date.fromisoformat(str(value)[:10]), lang)


def _file(value: object) -> str:
    """A file as its name alone (the JSON keeps the path as given)."""
    return PurePath(str(value)).name or str(value)


def _word(key: str, lang: str, fallback: object) -> str:
    return t(key, lang) if key in STRINGS else str(fallback)


def _login(detail: Mapping[str, Any], lang: str) -> dict[str, Any]:
    if detail.get("known"):
        if detail.get("locked_until"):
            return {"key": "login_failed.locks", "until": _time(detail["locked_until"], lang)}
        return {"key": "login_failed.wrong"}
    return {"key": "login_failed.unknown"}


def _export(detail: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> dict[str, Any]:
    what = detail["what"]
    if what == "today":
        to = detail.get("to") or []
        targets = [_word(f"trail.to.{x}", lang, _file(x)) for x in to]
        return {
            "key": "export.today",
            "day": _day(detail["as_of"], lang),
            "n": int(detail["rows"]),
            "to": _sep(lang).join(targets),
        }
    if what == "digest":
        return {
            "key": "export.digest",
            "day": _day(detail["as_of"], lang),
            "to": _file(detail["to"]),
        }
    if what == "morning_mail":
        name = who_text(str(detail["to"]), names, lang)
        return {"key": "export.morning_mail", "day": _day(detail["day"], lang), "name": name}
    raise KeyError(what)


def _change(field: str, value: object, lang: str) -> str:
    if field == "disabled":
        return t("trail.change.disabled" if value else "trail.change.enabled", lang)
    if field == "role":
        value = t(f"role.{value}", lang)
    elif field == "lang":
        value = t(f"trail.lang.{value}", lang)
    elif isinstance(value, list):
        value = ("・" if lang == "ja" else ", ").join(str(v) for v in value) or "—"
    key = f"trail.change.{field}"
    if key in STRINGS:
        return t(key, lang, value=value or "—")
    return t("trail.change.other", lang, field=field, value=value)


def _account(kind: str, detail: Mapping[str, Any], lang: str) -> dict[str, Any]:
    login = str(detail["name"])
    if kind == "account_add":
        return {
            "key": "account_add",
            "login": login,
            "display": detail.get("display_name") or login,
            "role": t(f"role.{detail['role']}", lang),
            "language": t(f"trail.lang.{detail['lang']}", lang),
        }
    if kind == "password_change":
        return {"key": "password_change", "login": login}
    changed = detail.get("changed") or {}
    if not changed:
        return {"key": "account_change.none", "login": login}
    changes = _sep(lang).join(_change(k, v, lang) for k, v in changed.items())
    return {"key": "account_change", "login": login, "changes": changes}


def _settings(detail: Mapping[str, Any], lang: str) -> dict[str, Any]:
    what = detail["what"]
    if what == "drafts":
        reason = t(f"settings.reason.{detail['reason']}", lang)
        return {
            "key": "settings.drafts",
            "reason": reason,
            "language": t(f"trail.lang.{detail['lang']}", lang),
        }
    if what == "office_addresses":
        return {"key": "settings.office_addresses", "n": int(detail["count"])}
    raise KeyError(what)


def _load(detail: Mapping[str, Any], lang: str) -> dict[str, Any]:
    files = _sep(lang).join(_file(f) for f in detail.get("files") or []) or "—"
    if not detail["swapped"]:
        return {"key": "load.unchanged", "files": files}
    if "rows_loaded" not in detail:  # the sample, loaded from the empty-database screen
        return {"key": "load.swapped_plain", "files": files}
    rows = int(detail["rows_loaded"])
    return (
        {"key": "load.swapped", "files": files, "n": rows}
        if rows
        else {"key": "load.swapped_none", "files": files}
    )


def _sync(detail: Mapping[str, Any]) -> dict[str, Any]:
    outcome = detail["outcome"]
    if outcome != "ok":
        return {"key": f"sync.{outcome}"}
    return {
        "key": "sync.ok",
        "messages": int(detail.get("new_messages", 0)),
        "inquiries": int(detail.get("new_inquiries", 0)),
        "review": int(detail.get("review", 0)),
    }


def _mark(
    detail: Mapping[str, Any], lang: str, names: Mapping[str, str], kinds: Mapping[int, str]
) -> dict[str, Any]:
    mark, inquiry = detail["mark"], str(detail["inquiry_id"])
    if mark == "claim" and detail.get("takeover_from"):
        holder = who_text(str(detail["takeover_from"]), names, lang)
        return {"key": "mark.takeover", "id": inquiry, "holder": holder}
    if mark == "claim":
        return {"key": "mark.claim", "id": inquiry}
    if mark == "done":
        listed = _word(f"list.{detail['list']}", lang, detail["list"])
        return {"key": "mark.done", "id": inquiry, "list": listed, "day": _day(detail["day"], lang)}
    if mark == "snooze":
        return {"key": "mark.snooze", "id": inquiry, "day": _day(detail["day"], lang)}
    if mark == "note":
        text = " ".join(str(detail.get("text", "")).split())
        cut = text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1] + "…"
        return {"key": "mark.note", "id": inquiry, "text": cut}
    if mark == "not_inquiry":
        reason = _word(f"work.reason.{detail['reason']}", lang, detail["reason"])
        text = " ".join(str(detail.get("text", "")).split())[:NOTE_CHARS]
        key = "mark.not_inquiry_text" if text else "mark.not_inquiry"
        return {"key": key, "id": inquiry, "reason": reason, "text": text}
    if mark == "undo":
        undone = int(detail["undoes"])
        what = (
            t(f"trail.mark.{kinds[undone]}", lang)
            if f"trail.mark.{kinds.get(undone)}" in STRINGS
            else t("trail.mark.unknown", lang, seq=undone)
        )
        return {"key": "mark.undo", "id": inquiry, "what": what}
    raise KeyError(mark)


def _values(
    kind: str,
    detail: Mapping[str, Any],
    lang: str,
    names: Mapping[str, str],
    kinds: Mapping[int, str],
) -> dict[str, Any] | None:
    """The sentence's key (under trail.detail.) and values; None for a kind without details."""
    if kind in ("login", "logout") and not detail:
        return None
    if kind == "login_failed":
        return _login(detail, lang)
    if kind == "login_locked":
        return {"key": "login_locked", "until": _time(detail["until"], lang)}
    if kind == "session_expired":
        return {"key": "session_expired", "n": int(detail["idle_minutes"])}
    if kind == "download":
        what, rows = _file(detail["what"]), int(detail.get("rows") or 0)
        return (
            {"key": "download", "what": what, "n": rows}
            if rows
            else {"key": "download_file", "what": what}
        )
    if kind == "export":
        return _export(detail, lang, names)
    if kind in ("account_add", "account_change", "password_change"):
        return _account(kind, detail, lang)
    if kind == "settings_change":
        return _settings(detail, lang)
    if kind == "load":
        return _load(detail, lang)
    if kind == "sync":
        return _sync(detail)
    if kind == "mark":
        return _mark(detail, lang, names, kinds)
    raise KeyError(kind)


def detail_text(
    kind: str,
    detail: Mapping[str, Any],
    lang: str,
    names: Mapping[str, str] | None = None,
    kinds: Mapping[int, str] | None = None,
) -> str:
    """One audit row's details as a sentence in lang ('' for a sign-in or sign-out without any).

    names: login → display name; kinds: a mark's number → its kind (so an undo says what it took back).
    """
    try:
        values = _values(kind, detail, lang, names or {}, kinds or {})
        if values is None:
            return ""
        key = f"trail.detail.{values.pop('key')}"
        return t(key, lang, **values)
    except (KeyError, TypeError, ValueError, AttributeError):
        return _as_recorded(detail, lang)


def _as_recorded(detail: Mapping[str, Any], lang: str) -> str:
    """Details of an unexpected shape: their values as recorded, one 'name: value' after another."""
    if not isinstance(detail, Mapping):
        return str(detail)
    parts = [
        f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
        for k, v in sorted(detail.items())
    ]
    return t("trail.detail.other", lang, text=_sep(lang).join(parts)) if parts else ""


def mark_kinds(rows: list[tuple[str, Mapping[str, Any]]]) -> dict[int, str]:
    """A mark's number → its kind, from (kind, details) pairs of the trail."""
    return {
        int(d["seq"]): str(d["mark"])
        for k, d in rows
        if k == "mark" and isinstance(d, Mapping) and "seq" in d and "mark" in d
    }
