"""Accounts: who may sign in, with which role and language, and the checks on every login.

Passwords are kept only as argon2id hashes (argon2-cffi) and must be at least 10 characters. Five
failed logins for one name (known or not) lock that name for 15 minutes; the count and the lock are in
the office store, so they hold across browser sessions, processes and restarts. Every change is in the
audit trail (``pipelines.office.audit``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pipelines.office import audit
from pipelines.office.store import now_utc, office, office_path, run, stamp

ROLES = ("owner", "staff")
ACCOUNT_LANGS = ("ja", "en")
MIN_PASSWORD_CHARS = 10
MAX_FAILURES = 5
LOCK_MINUTES = 15
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# argon2id with the library's recommended memory and time costs (RFC 9106's low-memory profile)
RECOMMENDED_HASHER = PasswordHasher()
_in_use = RECOMMENDED_HASHER  # tests put a cheap one in (use_hasher); production never does
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password;
# made on first use (not at import: every CLI start would pay ~0.1 s), one per hasher's costs.
_DUMMY_HASHES: dict[tuple[object, ...], str] = {}


def use_hasher(hasher: PasswordHasher | None) -> PasswordHasher:
    """Hash new passwords with hasher (None: the recommended one); returns the previous (tests only)."""
    global _in_use
    previous, _in_use = _in_use, hasher or RECOMMENDED_HASHER
    return previous


def _hasher() -> PasswordHasher:
    return _in_use


def _dummy_hash() -> str:
    hasher = _hasher()
    costs = (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len)
    if costs not in _DUMMY_HASHES:
        _DUMMY_HASHES[costs] = hasher.hash("not a password of anyone")
    return _DUMMY_HASHES[costs]


class AccountError(ValueError):
    """A refused account change or login; code (and values) name the problem for i18n."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(f"{code}: {values}" if values else code)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Account:
    """One person's account (never carries the password hash)."""

    name: str
    display_name: str
    role: str
    lang: str
    email: str = ""
    staff_names: tuple[str, ...] = field(default_factory=tuple)
    disabled: bool = False

    @property
    def is_owner(self) -> bool:
        """True for the owner role (every page)."""
        return self.role == "owner"

    def as_dict(self) -> dict[str, object]:
        """The account as plain values (lists for JSON)."""
        return {
            "name": self.name,
            "display_name": self.display_name,
            "role": self.role,
            "lang": self.lang,
            "email": self.email,
            "staff_names": list(self.staff_names),
            "disabled": self.disabled,
        }


def _account(row: sqlite3.Row) -> Account:
    return Account(
        name=row["name"],
        display_name=row["display_name"],
        role=row["role"],
        lang=row["lang"],
        email=row["email"],
        staff_names=tuple(json.loads(row["staff_names"])),
        disabled=bool(row["disabled"]),
    )


def normalize_name(name: str) -> str:
    """A login name as stored: trimmed, lower case; AccountError('bad_name') when not allowed."""
    text = (name or "").strip().lower()
    if not _NAME.fullmatch(text):
        raise AccountError("bad_name", name=name)
    return text


def check_password(password: str) -> None:
    """Refuse a password shorter than MIN_PASSWORD_CHARS characters (AccountError('short_password'))."""
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise AccountError("short_password", n=MIN_PASSWORD_CHARS)


def _check_fields(role: str, lang: str, email: str, staff_names: tuple[str, ...]) -> None:
    if role not in ROLES:
        raise AccountError("bad_role", role=role)
    if lang not in ACCOUNT_LANGS:
        raise AccountError("bad_lang", value=lang)
    if email and not _EMAIL.fullmatch(email):
        raise AccountError("bad_email", email=email)
    if any(not n.strip() for n in staff_names):
        raise AccountError("bad_staff_name")


def has_accounts(db_path: str | Path) -> bool:
    """Whether any account exists (then every page needs a login)."""
    with office(db_path) as con:
        return run(con, "account_count").fetchone()[0] > 0


def get_account(db_path: str | Path, name: str) -> Account | None:
    """The account of a login name, or None."""
    with office(db_path) as con:
        row = run(con, "account_get", {"name": name.strip().lower()}).fetchone()
    return _account(row) if row else None


def list_accounts(db_path: str | Path) -> list[Account]:
    """Every account, enabled ones first, owners before staff."""
    with office(db_path) as con:
        return [_account(r) for r in run(con, "account_list").fetchall()]


def display_names(db_path: str | Path) -> dict[str, str]:
    """Each account's login name and the name people read for it (its display name, else the
    login name); empty when there is no office store (it is not created just to read)."""
    if not office_path(db_path).is_file():
        return {}
    return {a.name: a.display_name or a.name for a in list_accounts(db_path)}


def add_account(
    db_path: str | Path,
    name: str,
    password: str,
    role: str,
    by: str,
    display_name: str = "",
    email: str = "",
    lang: str = "ja",
    staff_names: tuple[str, ...] = (),
    first: bool = False,
) -> Account:
    """Create an account (password hashed with argon2id); recorded in the audit trail as by.
    first=True: only while there is no account at all (the dashboard's first owner; one check and
    one write in the same transaction, so two people trying at once make one owner)."""
    login = normalize_name(name)
    check_password(password)
    staff_names = tuple(n.strip() for n in staff_names)
    _check_fields(role, lang, email.strip(), staff_names)
    values = {
        "name": login,
        "display_name": display_name.strip() or login,
        "role": role,
        "lang": lang,
        "email": email.strip(),
        "staff_names": json.dumps(list(staff_names), ensure_ascii=False),
        "password_hash": _hasher().hash(password),
        "at": stamp(now_utc()),
    }
    with office(db_path, write=True) as con:
        if first and run(con, "account_count").fetchone()[0] > 0:
            raise AccountError("not_first")
        if run(con, "account_get", {"name": login}).fetchone():
            raise AccountError("exists", name=login)
        run(con, "account_insert", values)
        account = _account(run(con, "account_get", {"name": login}).fetchone())
        detail = {k: v for k, v in account.as_dict().items() if k != "disabled"}
        audit.record_in(con, by, "account_add", detail)
    return account


def update_account(db_path: str | Path, name: str, by: str, **changes: object) -> Account:
    """Change display_name, role, lang, email, staff_names or disabled; audited with what changed.

    The last enabled owner cannot be disabled or made staff (AccountError('last_owner')).
    """
    login = name.strip().lower()
    allowed = {"display_name", "role", "lang", "email", "staff_names", "disabled"}
    unknown = set(changes) - allowed
    if unknown:
        raise AccountError("bad_field", field=", ".join(sorted(unknown)))
    with office(db_path, write=True) as con:
        row = run(con, "account_get", {"name": login}).fetchone()
        if row is None:
            raise AccountError("unknown", name=name)
        before = _account(row)
        after = before.as_dict()
        after.update({k: v for k, v in changes.items() if v is not None})
        after["staff_names"] = tuple(str(n).strip() for n in after["staff_names"])
        after["email"] = str(after["email"]).strip()
        after["display_name"] = str(after["display_name"]).strip() or login
        _check_fields(after["role"], after["lang"], after["email"], after["staff_names"])
        losing_owner = before.is_owner and not before.disabled
        if (
            losing_owner
            and (after["role"] != "owner" or after["disabled"])
            and run(con, "owners_enabled").fetchone()[0] <= 1
        ):
            raise AccountError("last_owner", name=login)
        run(
            con,
            "account_update",
            {
                **after,
                "name": login,
                "staff_names": json.dumps(list(after["staff_names"]), ensure_ascii=False),
                "disabled": int(bool(after["disabled"])),
                "at": stamp(now_utc()),
            },
        )
        if after["disabled"]:
            run(con, "sessions_of_delete", {"name": login})
        changed = {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in after.items()
            if before.as_dict()[k] != (list(v) if isinstance(v, tuple) else v)
        }
        audit.record_in(con, by, "account_change", {"name": login, "changed": changed})
        return _account(run(con, "account_get", {"name": login}).fetchone())


def set_password(db_path: str | Path, name: str, password: str, by: str) -> None:
    """Set a new password; every session of the account ends and any lock is lifted; audited."""
    login = name.strip().lower()
    check_password(password)
    hashed = _hasher().hash(password)
    with office(db_path, write=True) as con:
        if run(con, "account_get", {"name": login}).fetchone() is None:
            raise AccountError("unknown", name=name)
        run(
            con,
            "account_password",
            {"name": login, "password_hash": hashed, "at": stamp(now_utc())},
        )
        run(con, "sessions_of_delete", {"name": login})
        run(con, "attempt_clear", {"name": login})
        audit.record_in(con, by, "password_change", {"name": login})


def locked_until(db_path: str | Path, name: str, now: datetime | None = None) -> datetime | None:
    """When a name's lock ends (UTC), or None when it is not locked."""
    now = now or now_utc()
    with office(db_path) as con:
        row = run(con, "attempt_get", {"name": name.strip().lower()}).fetchone()
    if row and row["locked_until"]:
        until = datetime.fromisoformat(row["locked_until"])
        return until if until > now else None
    return None


def login(db_path: str | Path, name: str, password: str, now: datetime | None = None) -> Account:
    """Check a name and password; the account, or AccountError 'locked' / 'wrong' (audited either way).

    A wrong name and a wrong password give the same answer; a locked name is refused without looking
    at the password; a disabled account is refused as wrong.
    """
    now = now or now_utc()
    login_name = (name or "").strip().lower()[:64]
    with office(db_path) as con:
        row = run(con, "account_get", {"name": login_name}).fetchone()
    until = locked_until(db_path, login_name, now)
    if until is not None:
        audit.record(db_path, login_name, "login_locked", {"until": stamp(until)})
        raise AccountError("locked", until=until)
    ok = _verify(row["password_hash"] if row else _dummy_hash(), password or "")
    if ok and row is not None and not row["disabled"]:
        with office(db_path, write=True) as con:
            run(con, "attempt_clear", {"name": login_name})
            if _hasher().check_needs_rehash(row["password_hash"]):
                hashed = _hasher().hash(password)
                run(
                    con,
                    "account_password",
                    {"name": login_name, "password_hash": hashed, "at": stamp(now)},
                )
            audit.record_in(con, login_name, "login", {})
        return _account(row)
    with office(db_path, write=True) as con:
        previous = run(con, "attempt_get", {"name": login_name}).fetchone()
        failures = (previous["failures"] if previous else 0) + 1
        lock = None
        if failures >= MAX_FAILURES:
            lock = stamp(now + timedelta(minutes=LOCK_MINUTES))
            failures = 0
        run(con, "attempt_failed", {"name": login_name, "failures": failures, "locked_until": lock})
        detail = {"known": row is not None}
        if lock:
            detail["locked_until"] = lock
        audit.record_in(con, login_name or "?", "login_failed", detail)
    raise AccountError("wrong")


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher().verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
