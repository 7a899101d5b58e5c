"""The office's marks: claim, done, snooze, note, not-an-inquiry and undo (SPEC "The office's marks").

Marks live in the office store (``pipelines.office.store``), beside the DuckDB database and never in
it, so no load, sync or upgrade of the database can lose or change one. The table ``marks`` is
append-only (migration 0002): every mark is one row with who and when, an undo is a row naming the
mark it takes back, and the current state is the marks no undo names. Each mark also writes an audit
row (kind ``mark``) in the same transaction.

- **claim** — the inquiry's holder (担当) is the newest claim in force. Claiming one that someone else
  holds raises ``ClaimHeld`` naming the holder unless ``takeover=True``; the check and the write are
  one ``BEGIN IMMEDIATE`` transaction, so two people cannot both take it.
- **done** — one staff-list item handled for day A: hidden from that list on A and later days while
  the inquiry's latest event in the database is no newer than the one seen when marking
  (``seen_event_at``, Japan time); a new event brings it back.
- **snooze** — off every list on the days before ``until``.
- **note** — free text on the inquiry.
- **not_inquiry** — spam, duplicate, test, own mail or other (with text): left out of every figure,
  list and report key (``excluded_ids``; the evaluation reads them, see ``pipelines.evaluation.evaluated``).
- **undo** — takes back one mark (by its number, else the newest in force on the inquiry, of one kind
  and one list when given: a card's Undo takes back what put the card away, ``away_mark``).

Who: an account's login name, or ``os:<user>`` where there are no accounts (``audit.cli_user()``).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipelines.office import audit
from pipelines.office.store import now_utc, office, office_path, run, stamp

KINDS = ("claim", "done", "snooze", "note", "not_inquiry", "undo")
# The marks every card of an inquiry shows (its holder, snooze, notes, not-an-inquiry), unlike done,
# which is one list's: a change to one of these changes each of the inquiry's cards on a page.
EVERY_CARD = ("claim", "snooze", "note", "not_inquiry")
REASONS = ("spam", "duplicate", "test", "own_mail", "other")
NOTE_MAX_CHARS = 4000


class MarkError(ValueError):
    """A mark that cannot be made; code names the problem for i18n (mark.err.<code>)."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(f"{code}: {values}" if values else code)
        self.code = code
        self.values = values


class ClaimHeld(MarkError):
    """Someone else holds the inquiry; claiming it needs takeover=True."""

    def __init__(self, inquiry_id: str, holder: str, since: datetime) -> None:
        super().__init__("held", inquiry_id=inquiry_id, holder=holder)
        self.holder = holder
        self.since = since


@dataclass(frozen=True)
class Mark:
    """One row of the marks table (times in UTC)."""

    seq: int
    inquiry_id: str
    kind: str
    who: str
    at: datetime
    list: str | None = None
    day: date | None = None
    reason: str | None = None
    text: str = ""
    seen_event_at: datetime | None = None
    takeover_from: str | None = None
    undoes: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values (dates and times as ISO 8601)."""
        out = dict(self.__dict__)
        for key in ("at", "day", "seen_event_at"):
            out[key] = out[key].isoformat() if out[key] is not None else None
        return {k: v for k, v in out.items() if v not in (None, "")}


def _mark(row: sqlite3.Row) -> Mark:
    return Mark(
        seq=row["seq"],
        inquiry_id=row["inquiry_id"],
        kind=row["kind"],
        who=row["who"],
        at=datetime.fromisoformat(row["at"]),
        list=row["list"],
        day=date.fromisoformat(row["day"]) if row["day"] else None,
        reason=row["reason"],
        text=row["text"] or "",
        seen_event_at=datetime.fromisoformat(row["seen_event_at"])
        if row["seen_event_at"]
        else None,
        takeover_from=row["takeover_from"],
        undoes=row["undoes"],
    )


@dataclass
class MarksState:
    """The marks in force, by inquiry: what pages, lists and the report need (version: newest seq)."""

    version: int = 0
    holders: dict[str, Mark] = field(default_factory=dict)
    done: dict[tuple[str, str], list[Mark]] = field(default_factory=dict)
    snoozed: dict[str, Mark] = field(default_factory=dict)
    notes: dict[str, list[Mark]] = field(default_factory=dict)
    excluded: dict[str, Mark] = field(default_factory=dict)

    def holder(self, inquiry_id: str) -> str | None:
        """Who holds the inquiry (None: nobody)."""
        mark = self.holders.get(inquiry_id)
        return mark.who if mark else None


def _state_from(rows: Iterable[Mark], version: int) -> MarksState:
    state = MarksState(version=version)
    for mark in rows:  # oldest first: the newest claim and snooze win
        if mark.kind == "claim":
            state.holders[mark.inquiry_id] = mark
        elif mark.kind == "done" and mark.list:
            state.done.setdefault((mark.inquiry_id, mark.list), []).append(mark)
        elif mark.kind == "snooze":
            state.snoozed[mark.inquiry_id] = mark
        elif mark.kind == "note":
            state.notes.setdefault(mark.inquiry_id, []).append(mark)
        elif mark.kind == "not_inquiry":
            state.excluded[mark.inquiry_id] = mark
    return state


def version(db_path: str | Path) -> int:
    """The newest mark's number (0 when none; the store is not created just to read)."""
    if not office_path(db_path).is_file():
        return 0
    with office(db_path) as con:
        return int(run(con, "marks_version").fetchone()[0])


def state(db_path: str | Path, inquiry_id: str | None = None) -> MarksState:
    """The marks in force (of one inquiry, or all), read in one transaction."""
    if not office_path(db_path).is_file():
        return MarksState()
    with office(db_path) as con:
        con.execute("BEGIN")
        newest = int(run(con, "marks_version").fetchone()[0])
        if inquiry_id is None:
            found = run(con, "marks_active_all").fetchall()
        else:
            found = run(con, "marks_active_of", {"inquiry_id": inquiry_id}).fetchall()
        con.execute("COMMIT")
    return _state_from((_mark(r) for r in found), newest)


def history(db_path: str | Path, inquiry_id: str) -> list[Mark]:
    """Every mark of an inquiry, undos and undone ones included, oldest first."""
    if not office_path(db_path).is_file():
        return []
    with office(db_path) as con:
        return [_mark(r) for r in run(con, "marks_history_of", {"inquiry_id": inquiry_id})]


def excluded_ids(db_path: str | Path) -> tuple[tuple[str, ...], str]:
    """The inquiries marked not-an-inquiry (sorted) and a short hash of them (facts cache keys)."""
    if not office_path(db_path).is_file():
        return (), "none"
    with office(db_path) as con:
        ids = tuple(r[0] for r in run(con, "marks_excluded"))
    if not ids:
        return (), "none"
    return ids, hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12]


def _check_id(inquiry_id: str) -> str:
    text = str(inquiry_id or "").strip()
    if not text or len(text) > 200:
        raise MarkError("bad_id", inquiry_id=inquiry_id)
    return text


def _write(con: sqlite3.Connection, who: str, inquiry_id: str, kind: str, **values: Any) -> Mark:
    """Insert one mark and its audit row inside the caller's transaction."""
    row = {
        "inquiry_id": inquiry_id,
        "kind": kind,
        "list": None,
        "day": None,
        "reason": None,
        "text": "",
        "seen_event_at": None,
        "takeover_from": None,
        "undoes": None,
        "who": str(who),
        "at": stamp(now_utc()),
    }
    row.update(values)
    for key in ("day", "seen_event_at"):
        if row[key] is not None:
            row[key] = row[key].isoformat()
    seq = run(con, "mark_insert", row).lastrowid
    detail = {k: v for k, v in row.items() if v not in (None, "") and k not in ("who", "at")}
    audit.record_in(con, who, "mark", {"mark": kind, "seq": seq, **detail})
    return _mark(run(con, "mark_get", {"seq": seq}).fetchone())


def claim(db_path: str | Path, inquiry_id: str, who: str, takeover: bool = False) -> Mark:
    """Claim an inquiry; someone else's needs takeover=True (else ClaimHeld names the holder)."""
    inquiry_id = _check_id(inquiry_id)
    with office(db_path, write=True) as con:
        held = run(con, "mark_holder", {"inquiry_id": inquiry_id}).fetchone()
        if held is not None and held["who"] == who:
            raise MarkError("already_yours", inquiry_id=inquiry_id)
        if held is not None and not takeover:
            raise ClaimHeld(inquiry_id, held["who"], datetime.fromisoformat(held["at"]))
        return _write(
            con, who, inquiry_id, "claim", takeover_from=held["who"] if held is not None else None
        )


def done(
    db_path: str | Path,
    inquiry_id: str,
    list_name: str,
    day: date,
    who: str,
    seen_event_at: datetime | None,
) -> Mark:
    """Mark one list's item handled for day A; seen_event_at: the inquiry's latest event (Japan time)."""
    from pipelines.vocabulary import STAFF_LISTS

    inquiry_id = _check_id(inquiry_id)
    if list_name not in STAFF_LISTS:
        raise MarkError("bad_list", list=list_name, lists=", ".join(STAFF_LISTS))
    with office(db_path, write=True) as con:
        return _write(
            con, who, inquiry_id, "done", list=list_name, day=day, seen_event_at=seen_event_at
        )


def snooze(db_path: str | Path, inquiry_id: str, until: date, who: str) -> Mark:
    """Take an inquiry off every list on the days before `until`."""
    inquiry_id = _check_id(inquiry_id)
    if not isinstance(until, date):
        raise MarkError("bad_until", until=until)
    with office(db_path, write=True) as con:
        return _write(con, who, inquiry_id, "snooze", day=until)


def note(db_path: str | Path, inquiry_id: str, text: str, who: str) -> Mark:
    """Add a free-text note to an inquiry (1 to NOTE_MAX_CHARS characters)."""
    inquiry_id = _check_id(inquiry_id)
    text = str(text or "").strip()
    if not text or len(text) > NOTE_MAX_CHARS:
        raise MarkError("bad_note", limit=NOTE_MAX_CHARS)
    with office(db_path, write=True) as con:
        return _write(con, who, inquiry_id, "note", text=text)


def not_inquiry(
    db_path: str | Path, inquiry_id: str, reason: str, who: str, text: str = ""
) -> Mark:
    """Mark an inquiry as not an inquiry (spam, duplicate, test, own_mail, other) with its reason."""
    inquiry_id = _check_id(inquiry_id)
    if reason not in REASONS:
        raise MarkError("bad_reason", reason=reason, reasons=", ".join(REASONS))
    text = str(text or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise MarkError("bad_note", limit=NOTE_MAX_CHARS)
    with office(db_path, write=True) as con:
        return _write(con, who, inquiry_id, "not_inquiry", reason=reason, text=text)


def undo(
    db_path: str | Path,
    inquiry_id: str,
    who: str,
    seq: int | None = None,
    kind: str | None = None,
    list_name: str | None = None,
) -> Mark:
    """Take back one mark of the inquiry: number seq, else the newest in force (of kind and of
    list_name, if given)."""
    inquiry_id = _check_id(inquiry_id)
    with office(db_path, write=True) as con:
        if seq is None:
            wanted = {"inquiry_id": inquiry_id, "kind": kind, "list": list_name}
            row = run(con, "mark_last_active", wanted).fetchone()
        else:
            row = run(con, "mark_get", {"seq": seq}).fetchone()
            if row is not None and (
                row["inquiry_id"] != inquiry_id
                or row["kind"] == "undo"
                or run(con, "mark_is_undone", {"seq": seq}).fetchone()[0]
            ):
                row = None
        if row is None:
            raise MarkError("nothing_to_undo", inquiry_id=inquiry_id)
        return _write(
            con, who, inquiry_id, "undo", undoes=row["seq"], list=row["list"], text=row["kind"]
        )


def away_mark(
    now: MarksState, inquiry_id: str, list_name: str, done: bool, snoozed: bool
) -> Mark | None:
    """What keeps a list's item off its list: the newest in force of its not-an-inquiry mark, its
    snooze (when snoozed past the day) and this list's done mark (when done for the day); None: on
    its list. A note never does."""
    found: list[Mark] = []
    if inquiry_id in now.excluded:
        found.append(now.excluded[inquiry_id])
    if snoozed and inquiry_id in now.snoozed:
        found.append(now.snoozed[inquiry_id])
    if done and now.done.get((inquiry_id, list_name)):
        found.append(now.done[(inquiry_id, list_name)][-1])
    return max(found, key=lambda m: m.seq, default=None)


def snooze_deadline(list_name: str, row: dict[str, Any], until: date) -> date | None:
    """The item's deadline (day) when a snooze until `until` hides it past it: its list's due-date
    column (pipelines.vocabulary.StaffList.due_date) before `until`; else None."""
    from pipelines.vocabulary import STAFF_LIST_BY_NAME

    column = STAFF_LIST_BY_NAME[list_name].due_date
    value = row.get(column) if column else None
    if value is None or value != value:  # no deadline, or a missing date (NaT)
        return None
    deadline = value.date() if isinstance(value, datetime) else value  # a pandas Timestamp too
    return deadline if deadline < until else None


def load_marks(con: Any) -> str:
    """Give a DuckDB connection the marks of the office store beside its database, as tables.

    Reads the database path from the connection's ``office_db`` variable (set by
    ``pipelines.store.connect``; none: no marks), and when the marks changed since the last call
    refills the temp tables the SQL reads (``pipelines/sql/rules.sql``): ``office_excluded``
    (not-an-inquiry), ``office_done`` and ``office_snoozed`` (marks.sql's fill_… statements).
    Returns the exclusions' version (a short hash, "none" without any) for the facts cache keys.
    """
    from pipelines.definitions import named_statements

    [(db, loaded, tag)] = con.execute(
        "SELECT getvariable('office_db'), getvariable('office_marks_version'), "
        "getvariable('office_excluded_version')"
    ).fetchall()
    if db is None:
        return "none"
    newest = version(db)
    if loaded is not None and newest == loaded:
        return tag or "none"
    now = state(db)
    ids = tuple(sorted(now.excluded))
    tag = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12] if ids else "none"
    done_marks = [m for marks in now.done.values() for m in marks]
    rows = {
        "office_excluded": {"ids": list(ids)},
        "office_done": {
            "ids": [m.inquiry_id for m in done_marks],
            "lists": [m.list for m in done_marks],
            "days": [m.day for m in done_marks],
            "seen": [m.seen_event_at for m in done_marks],
        },
        "office_snoozed": {
            "ids": list(now.snoozed),
            "until": [m.day for m in now.snoozed.values()],
        },
    }
    for name, columns in rows.items():
        con.execute(f"DELETE FROM {name}")
        con.execute(named_statements("marks.sql")[f"fill_{name}"], columns)
    con.execute("SET VARIABLE office_marks_version = ?", [now.version])
    con.execute("SET VARIABLE office_excluded_version = ?", [tag])
    return tag
