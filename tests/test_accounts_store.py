"""The office store: accounts, hashing, the lock after failed logins, sessions, the audit trail, and
that a load (finished, or killed mid-way) never touches any of it."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles

from pipelines import build
from pipelines import store as db_store
from pipelines.loader import load_files
from pipelines.office import accounts, audit, sessions
from pipelines.office.accounts import AccountError
from pipelines.office.store import OfficeStoreError, key_path, office_path, open_store
from tests.conftest import INQUIRY_COLUMNS, build_db, csv_text, inquiry

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database path whose office store holds one owner and one staff account."""
    path = tmp_path / "ops.duckdb"
    accounts.add_account(path, "Boss", PASSWORD, "owner", "os:test", lang="en")
    accounts.add_account(path, "sam", PASSWORD, "staff", "os:test", staff_names=("佐藤", "Sato"))
    return path


def test_the_store_is_named_beside_the_database(tmp_path: Path) -> None:
    """ops.duckdb → ops.office.sqlite and ops.office.key, in the database's folder."""
    assert office_path(tmp_path / "ops.duckdb") == tmp_path / "ops.office.sqlite"
    assert key_path(tmp_path / "ops.duckdb") == tmp_path / "ops.office.key"


def test_the_store_uses_wal_and_records_its_schema_version(db: Path) -> None:
    """WAL journal, a busy timeout, and every migration recorded once."""
    con = open_store(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    versions = [r[0] for r in con.execute("SELECT version FROM office_migrations")]
    con.close()
    assert versions == list(range(1, len(versions) + 1))


def test_passwords_are_argon2id_hashes_and_at_least_ten_characters(db: Path) -> None:
    """The store keeps an argon2id hash, never the password; 9 characters are refused."""
    con = sqlite3.connect(office_path(db))
    [(hashed,)] = con.execute("SELECT password_hash FROM accounts WHERE name = 'boss'").fetchall()
    con.close()
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    with pytest.raises(AccountError) as caught:
        accounts.add_account(db, "short", "123456789", "staff", "os:test")
    assert caught.value.code == "short_password"


@pytest.mark.slow
def test_production_hashes_with_the_recommended_argon2id_costs(tmp_path: Path) -> None:
    """Tests hash cheaply (conftest.TEST_HASHER); without that seam a password gets RFC 9106's
    low-memory costs, which argon2-cffi recommends, and still logs in."""
    recommended = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
    costs = ("type", "time_cost", "memory_cost", "parallelism", "hash_len", "salt_len")
    production = accounts.RECOMMENDED_HASHER
    assert [getattr(production, c) for c in costs] == [getattr(recommended, c) for c in costs]
    db = tmp_path / "ops.duckdb"
    previous = accounts.use_hasher(None)
    try:
        accounts.add_account(db, "boss", PASSWORD, "owner", "os:test")
        assert accounts.login(db, "boss", PASSWORD, now=NOW).name == "boss"
    finally:
        accounts.use_hasher(previous)
    con = sqlite3.connect(office_path(db))
    [(hashed,)] = con.execute("SELECT password_hash FROM accounts WHERE name = 'boss'").fetchall()
    con.close()
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_names_are_case_insensitive_and_unique(db: Path) -> None:
    """'Boss' was stored as 'boss'; a second 'BOSS' is refused; odd names are refused."""
    assert accounts.login(db, "BOSS", PASSWORD, now=NOW).name == "boss"
    with pytest.raises(AccountError, match="exists"):
        accounts.add_account(db, "BOSS", PASSWORD, "staff", "os:test")
    with pytest.raises(AccountError, match="bad_name"):
        accounts.add_account(db, "a b", PASSWORD, "staff", "os:test")


def test_five_failures_lock_a_name_for_fifteen_minutes(db: Path) -> None:
    """After 5 wrong passwords even the right one is refused until 15 minutes have passed."""
    for _ in range(5):
        with pytest.raises(AccountError, match="wrong"):
            accounts.login(db, "sam", "not the password", now=NOW)
    with pytest.raises(AccountError) as caught:
        accounts.login(db, "sam", PASSWORD, now=NOW + timedelta(minutes=14))
    assert caught.value.code == "locked"
    assert caught.value.values["until"] == NOW + timedelta(minutes=15)
    assert accounts.login(db, "sam", PASSWORD, now=NOW + timedelta(minutes=15)).name == "sam"
    assert accounts.login(db, "boss", PASSWORD, now=NOW).name == "boss"  # other names unaffected


def test_the_lock_holds_across_processes(db: Path) -> None:
    """The failure count is in the store: another process sees the lock."""
    for _ in range(5):
        with pytest.raises(AccountError):
            accounts.login(db, "sam", "nope nope nope")
    code = (
        "import sys\nfrom pipelines.office import accounts\n"
        "try:\n    accounts.login(sys.argv[1], 'sam', sys.argv[2])\n"
        "except accounts.AccountError as e:\n    print(e.code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), PASSWORD],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert out.stdout.strip() == "locked"


def test_unknown_names_and_disabled_accounts_get_the_same_answer(db: Path) -> None:
    """A wrong name, a wrong password and a disabled account all read 'wrong'."""
    accounts.update_account(db, "sam", "os:test", disabled=True)
    for name, password in (("nobody", PASSWORD), ("boss", "wrong password!"), ("sam", PASSWORD)):
        with pytest.raises(AccountError) as caught:
            accounts.login(db, name, password, now=NOW)
        assert caught.value.code == "wrong"


def test_the_last_owner_cannot_be_disabled_or_demoted(db: Path) -> None:
    """An office always keeps an owner who can sign in."""
    for change in ({"disabled": True}, {"role": "staff"}):
        with pytest.raises(AccountError, match="last_owner"):
            accounts.update_account(db, "boss", "os:test", **change)
    accounts.add_account(db, "second", PASSWORD, "owner", "os:test")
    assert accounts.update_account(db, "boss", "os:test", role="staff").role == "staff"


def test_a_session_lasts_until_idle_minutes_pass(db: Path) -> None:
    """A session is live while used; 480 idle minutes end it (and the trail says so)."""
    boss = accounts.get_account(db, "boss")
    token = sessions.start(db, boss, now=NOW)
    later = NOW + timedelta(minutes=479)
    assert sessions.resume(db, token, 480, now=later) == boss
    assert sessions.resume(db, token, 480, now=later + timedelta(minutes=479)) == boss
    assert sessions.resume(db, token, 480, now=later + timedelta(minutes=479 + 480)) is None
    assert sessions.resume(db, token, 480, now=later) is None  # gone for good
    assert "session_expired" in [r.kind for r in audit.rows(db)]


def test_a_tampered_or_foreign_cookie_is_refused(db: Path, tmp_path: Path) -> None:
    """Changing one character, or a token signed with another office's key, gives no session."""
    boss = accounts.get_account(db, "boss")
    token = sessions.start(db, boss, now=NOW)
    session_id, signature = token.split(".")
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    other = tmp_path / "other" / "ops.duckdb"
    other.parent.mkdir()
    accounts.add_account(other, "boss", PASSWORD, "owner", "os:test")
    foreign = sessions.start(other, accounts.get_account(other, "boss"), now=NOW)
    for bad in (
        f"{session_id}.{flipped}",
        f"x{session_id}.{signature}",
        foreign,
        "",
        "a.b.c",
        "é.é",
    ):
        assert sessions.resume(db, bad, 480, now=NOW) is None
    assert sessions.resume(db, token, 480, now=NOW) == boss


def test_logout_password_change_and_disabling_end_sessions(db: Path) -> None:
    """A token stops working after logout, a new password, or disabling the account."""
    sam = accounts.get_account(db, "sam")
    token = sessions.start(db, sam, now=NOW)
    sessions.end(db, token, "sam")
    assert sessions.resume(db, token, 480, now=NOW) is None
    token = sessions.start(db, sam, now=NOW)
    accounts.set_password(db, "sam", "another long password", "boss")
    assert sessions.resume(db, token, 480, now=NOW) is None
    token = sessions.start(db, sam, now=NOW)
    accounts.update_account(db, "sam", "boss", disabled=True)
    assert sessions.resume(db, token, 480, now=NOW) is None


def test_the_signing_key_is_owner_only_and_fails_closed(db: Path) -> None:
    """Made once with mode 0600; readable by others, damaged or a folder: refused, never replaced."""
    key = key_path(db)
    first = sessions.signing_key(db)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert sessions.signing_key(db) == first
    key.chmod(0o644)
    with pytest.raises(OfficeStoreError) as caught:
        sessions.signing_key(db)
    assert caught.value.code == "key_permissions"
    key.chmod(0o600)
    key.write_text("not hex")
    with pytest.raises(OfficeStoreError, match="key_corrupt"):
        sessions.signing_key(db)
    key.unlink()
    key.mkdir()
    with pytest.raises(OfficeStoreError, match="key_not_a_file"):
        sessions.signing_key(db)


def test_a_damaged_store_fails_closed(tmp_path: Path) -> None:
    """Garbage where the store should be is refused with a code, and left as it was."""
    db = tmp_path / "ops.duckdb"
    office_path(db).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(OfficeStoreError) as caught:
        accounts.has_accounts(db)
    assert caught.value.code == "corrupt"
    assert office_path(db).read_bytes().startswith(b"this is not sqlite")


def test_a_store_from_a_newer_program_is_refused(db: Path) -> None:
    """A schema version above this program's is refused, never changed."""
    con = sqlite3.connect(office_path(db))
    con.execute("INSERT INTO office_migrations VALUES (999, 'future', 'x')")
    con.commit()
    con.close()
    with pytest.raises(OfficeStoreError, match="too_new"):
        accounts.list_accounts(db)


def test_the_audit_trail_is_append_only(db: Path) -> None:
    """Rows are added by anyone through record(); the store refuses to change or delete them."""
    audit.record(db, "os:someone", "export", {"what": "today", "rows": 3})
    found = audit.rows(db, kind="export")
    assert [(r.who, r.detail) for r in found] == [("os:someone", {"rows": 3, "what": "today"})]
    con = sqlite3.connect(office_path(db))
    for statement in ("UPDATE audit SET who = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(statement)
    con.close()
    kinds = [r.kind for r in audit.rows(db)]
    assert kinds[:2] == ["account_add", "account_add"]


def test_audit_rows_filter_by_day_person_and_kind(db: Path) -> None:
    """rows() narrows to a UTC day, a person and a kind."""
    today = datetime.now(UTC).date()
    accounts.login(db, "boss", PASSWORD)
    assert {r.kind for r in audit.rows(db, who="boss")} == {"login"}
    assert len(audit.rows(db, day=today)) == len(audit.rows(db))
    assert audit.rows(db, day=today - timedelta(days=1)) == []
    assert audit.rows(db, since=today + timedelta(days=1)) == []


@pytest.mark.slow
def test_a_load_keeps_every_account_and_audit_row(db: Path, tmp_path: Path) -> None:
    """Loading into the database (copy → swap) leaves the office store byte-for-byte alive."""
    before = ([a.as_dict() for a in accounts.list_accounts(db)], len(audit.rows(db)))
    build_db(tmp_path, [inquiry("Q1"), inquiry("Q2")], name=db.name)
    build_db(tmp_path, [inquiry("Q3")], name=db.name)
    assert ([a.as_dict() for a in accounts.list_accounts(db)], len(audit.rows(db))) == before
    assert office_path(db).exists()


def test_the_load_clean_up_never_matches_the_office_files(db: Path) -> None:
    """pipelines.store removes only .<db>.loading-* copies: the store, its WAL and the key stay."""
    sessions.signing_key(db)
    stray = db.with_name(f".{db.name}.loading-12345")
    stray.write_bytes(b"stale")
    db_store._remove_stale_copies(db)
    assert not stray.exists()
    for path in (office_path(db), key_path(db)):
        assert path.exists()
    for pattern in (f".{db.name}.loading-*", f".{db.name}.reader-*"):
        assert not any(p.match(pattern) for p in db.parent.iterdir() if ".office." in p.name)


@pytest.mark.slow
def test_a_load_killed_mid_way_loses_no_account_or_audit_row(db: Path, tmp_path: Path) -> None:
    """SIGKILL during a large load: the database is unchanged and every account and row is there."""
    rows = [inquiry(f"Q{i:06d}", received_at="2026-11-02 10:00") for i in range(40000)]
    big = tmp_path / "big.csv"
    big.write_text(csv_text(INQUIRY_COLUMNS, rows), encoding="utf-8")
    seed = tmp_path / "seed.csv"
    seed.write_text(csv_text(INQUIRY_COLUMNS, [inquiry("Q1")]), encoding="utf-8")
    load_files([seed], db)  # a database for the killed load to replace
    for _ in range(3):
        audit.record(db, "os:test", "load", {"files": ["big.csv"]})
    before = (
        [a.as_dict() for a in accounts.list_accounts(db)],
        [r.as_dict() for r in audit.rows(db)],
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "load", str(big), "--db", str(db)],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(tmp_path.glob(f".{db.name}.loading-*")):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed, not finished
    after = (
        [a.as_dict() for a in accounts.list_accounts(db)],
        [r.as_dict() for r in audit.rows(db)],
    )
    assert after == before
    con = build.connect(db)
    assert con.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 1  # load never landed
    con.close()
    with sqlite3.connect(office_path(db)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
