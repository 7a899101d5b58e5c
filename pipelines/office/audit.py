"""The audit trail: who did what and when, append-only, in the office store (kept across every load).

Anyone may add a row: ``audit.record(db_path, who, kind, detail)``. ``who`` is an account's login
name, or ``os:<user>`` for the command line (``cli_user()``). Kinds in use (extend freely, one word):
login, login_failed, login_locked, logout, session_expired, export, download, account_add,
account_change, password_change, settings_change, load, sync, mark.
Rows can never be changed or removed (the store's triggers refuse it).
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pipelines.office.store import now_utc, office, run, stamp

KINDS = (
    "login",
    "login_failed",
    "login_locked",
    "logout",
    "session_expired",
    "export",
    "download",
    "account_add",
    "account_change",
    "password_change",
    "settings_change",
    "load",
    "sync",
    "mark",
)


@dataclass(frozen=True)
class AuditRow:
    """One audit row: when (UTC), who, what kind, and its details."""

    seq: int
    at: datetime
    who: str
    kind: str
    detail: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values (at as ISO 8601 UTC)."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "who": self.who,
            "kind": self.kind,
            "detail": self.detail,
        }


def cli_user() -> str:
    """The command line's 'who': os:<the operating system's user name>."""
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "os:?"


def record_in(con: sqlite3.Connection, who: str, kind: str, detail: dict[str, Any]) -> None:
    """Add one row inside an open office-store transaction."""
    run(
        con,
        "audit_insert",
        {
            "at": stamp(now_utc()),
            "who": str(who),
            "kind": str(kind),
            "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        },
    )


def record(db_path: str | Path, who: str, kind: str, detail: dict[str, Any] | None = None) -> None:
    """Add one row to the audit trail of the database at db_path (its office store)."""
    with office(db_path, write=True) as con:
        record_in(con, who, kind, detail or {})


def rows(
    db_path: str | Path,
    since: date | None = None,
    who: str | None = None,
    kind: str | None = None,
    day: date | None = None,
) -> list[AuditRow]:
    """Audit rows, oldest first: from since (a UTC day), of one person, one kind, or one UTC day."""
    start = day or since
    params = {
        "since": start.isoformat() if start else None,
        "until": (day + timedelta(days=1)).isoformat() if day else None,
        "who": who,
        "kind": kind,
    }
    with office(db_path) as con:
        found = run(con, "audit_select", params).fetchall()
    return [
        AuditRow(
            seq=r["seq"],
            at=datetime.fromisoformat(r["at"]),
            who=r["who"],
            kind=r["kind"],
            detail=json.loads(r["detail"]),
        )
        for r in found
    ]


def people(db_path: str | Path) -> list[str]:
    """Everyone who appears in the trail."""
    with office(db_path) as con:
        return [r[0] for r in run(con, "audit_people").fetchall()]
