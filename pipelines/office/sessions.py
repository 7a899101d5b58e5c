"""Signed-in sessions: a random id in a signed cookie, its hash and last activity in the office store.

The cookie's value is ``<id>.<signature>``: the signature is an HMAC-SHA256 of the id under the
signing key (``key_path(db)``, 32 random bytes made on first run with owner-only permissions, never
logged). The store keeps only sha256(id) with the account and the last activity, so a session ends on
logout, on a password change or disabling, and after ``session_idle_minutes`` minutes without a page
view — whatever the browser keeps.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from datetime import datetime, timedelta
from pathlib import Path

from pipelines.office import audit
from pipelines.office.accounts import Account, get_account
from pipelines.office.store import OfficeStoreError, key_path, now_utc, office, run, stamp

COOKIE_NAME = "opsdash_session"
KEY_BYTES = 32
# Activity is written at most this often (every page view would be a write otherwise).
TOUCH_SECONDS = 60


def signing_key(db_path: str | Path) -> bytes:
    """The session-signing key beside the database, made on first run (mode 0600); fail closed.

    OfficeStoreError codes: key_not_a_file, key_permissions (readable by others), key_unreadable,
    key_corrupt.
    """
    path = key_path(db_path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise OfficeStoreError("key_unreadable", path, exc.strerror or str(exc)) from None
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(KEY_BYTES) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise OfficeStoreError("key_not_a_file", path)
        if info.st_mode & 0o077:
            raise OfficeStoreError("key_permissions", path, oct(info.st_mode & 0o777))
        text = path.read_text(encoding="ascii").strip()
    except OfficeStoreError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise OfficeStoreError("key_unreadable", path, type(exc).__name__) from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise OfficeStoreError("key_corrupt", path)
    return key


def _sign(key: bytes, session_id: str) -> str:
    return hmac.new(key, session_id.encode("ascii"), hashlib.sha256).hexdigest()


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def _split(key: bytes, token: str | None) -> str | None:
    """The session id of a well-signed token, else None."""
    if not token or token.count(".") != 1 or len(token) > 200:
        return None
    session_id, signature = token.split(".")
    try:
        expected = _sign(key, session_id)
    except UnicodeEncodeError:
        return None
    return session_id if hmac.compare_digest(expected, signature) else None


def start(db_path: str | Path, account: Account, now: datetime | None = None) -> str:
    """Open a session for an account; returns the signed token for the cookie."""
    key = signing_key(db_path)
    session_id = secrets.token_urlsafe(32)
    with office(db_path, write=True) as con:
        run(
            con,
            "session_insert",
            {"id_hash": _id_hash(session_id), "name": account.name, "at": stamp(now or now_utc())},
        )
    return f"{session_id}.{_sign(key, session_id)}"


def resume(
    db_path: str | Path, token: str | None, idle_minutes: int, now: datetime | None = None
) -> Account | None:
    """The account of a live session token (its activity noted), or None: tampered, unknown, idle
    for idle_minutes or more (then removed, audited), ended, or its account disabled."""
    now = now or now_utc()
    session_id = _split(signing_key(db_path), token)
    if session_id is None:
        return None
    id_hash = _id_hash(session_id)
    with office(db_path) as con:
        row = run(con, "session_get", {"id_hash": id_hash}).fetchone()
    if row is None:
        return None
    last_seen = datetime.fromisoformat(row["last_seen_at"])
    if now - last_seen >= timedelta(minutes=idle_minutes):
        with office(db_path, write=True) as con:
            run(con, "session_delete", {"id_hash": id_hash})
            audit.record_in(con, row["name"], "session_expired", {"idle_minutes": idle_minutes})
        return None
    account = get_account(db_path, row["name"])
    if account is None or account.disabled:
        return None
    if (now - last_seen).total_seconds() >= TOUCH_SECONDS:
        with office(db_path, write=True) as con:
            run(con, "session_touch", {"id_hash": id_hash, "at": stamp(now)})
    return account


def end(db_path: str | Path, token: str | None, who: str) -> None:
    """End a session (logout): its token stops working at once; audited."""
    session_id = _split(signing_key(db_path), token)
    with office(db_path, write=True) as con:
        if session_id is not None:
            run(con, "session_delete", {"id_hash": _id_hash(session_id)})
        audit.record_in(con, who, "logout", {})
