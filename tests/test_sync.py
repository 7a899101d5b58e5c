"""python -m pipelines sync against a real IMAP server (pymap) started on 127.0.0.1 by the tests."""

from __future__ import annotations

import email
import email.policy
import hashlib
import mailbox
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from mailservers import (
    JST,
    PASSWORD,
    USER,
    DroppingProxy,
    empty,
    mail,
    office_week,
    pymap_server,
    raw,
    recreate,
    seed,
)

from pipelines.__main__ import main
from pipelines.loader import load_files
from pipelines.mailbox import convert_mailbox, mailbox_settings_from_table
from pipelines.office import audit

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 11, 16, 9, 0, tzinfo=JST)
LOG_COLUMNS = {
    "inquiries": "inquiry_id, received_at, customer_name, customer_address, customer_email, "
    "target_phone, requested_for, service, message, channel, staff_minutes",
    "events": "inquiry_id, event_at, event, amount_jpy, staff, staff_minutes, note",
}


def _settings(path: Path, port: int, office: bool = True, tls: bool = False) -> Path:
    addresses = '["info@office.example.jp"]' if office else "[]"
    path.write_text(
        f"[mailbox]\noffice_addresses = {addresses}\n\n"
        f'[imap]\nhost = "{"localhost" if tls else "127.0.0.1"}"\nport = {port}\n'
        f'user = "{USER}"\ntls = {"true" if tls else "false"}\nstarttls = {"true" if tls else "false"}\ninbox = "INBOX"\nsent = "Sent"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def imap_server():
    """One IMAP server for the module's tests (a start costs ~0.4 CPU-s); each test empties it."""
    with pymap_server() as port:
        yield port


@pytest.fixture
def server(imap_server: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> int:
    empty(imap_server)  # as a new server: INBOX only, no message
    monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "s.toml", imap_server)))
    monkeypatch.setenv("OPSDASH_IMAP_PASSWORD", PASSWORD)
    return imap_server


def _rows(db: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT {LOG_COLUMNS[table]} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.mark.slow
def test_first_sync_is_the_mailbox_import_and_a_second_changes_nothing(
    server: int, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    inbox, sent = office_week(START, 6)
    seed(server, "INBOX", inbox)
    seed(server, "Sent", sent)
    db = tmp_path / "ops.duckdb"
    assert main(["sync", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "INBOX 8" in out
    assert "Sent 7" in out

    # the same messages through the mailbox import, loaded like any export
    box = mailbox.mbox(tmp_path / "export.mbox")
    for message in inbox + sent:
        box.add(message)
    box.close()
    rules = mailbox_settings_from_table({"office_addresses": ["info@office.example.jp"]}, "t")
    result = convert_mailbox([tmp_path / "export.mbox"], tmp_path / "logs", rules)
    other = tmp_path / "import.duckdb"
    load_files([result.inquiries_path, result.quotes_path], other)
    assert result.inquiries == 6
    assert result.events == 8
    for table in ("inquiries", "events"):
        assert _rows(db, table) == _rows(other, table)
    assert _count(db, "SELECT count(*) FROM mail_messages") == 15
    # customer 1 wrote in ISO-2022-JP, subject and body: read, not garbled
    assert _count(db, "SELECT count(*) FROM inquiries WHERE customer_name = '山田 1'") == 1
    assert _count(db, "SELECT count(*) FROM mail_review WHERE subject = '代行のお願い 1'") == 1
    assert _count(db, "SELECT count(*) FROM mail_review WHERE became = 'not used'") == 1

    before = _digest(db)
    assert main(["sync", "--db", str(db)]) == 0
    assert "データベースは変わっていません" in capsys.readouterr().out  # the office's language
    assert _digest(db) == before
    trail = audit.rows(db, kind="sync")
    assert [r.detail["outcome"] for r in trail] == ["ok", "ok"]
    assert trail[0].detail["new_messages"] == 15
    assert trail[1].detail["new_messages"] == 0


@pytest.mark.slow
def test_new_mail_is_picked_up_and_a_renumbered_folder_duplicates_nothing(
    server: int, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    inbox, sent = office_week(START, 3)
    seed(server, "INBOX", inbox)
    seed(server, "Sent", sent)
    db = tmp_path / "ops.duckdb"
    assert main(["sync", "--db", str(db)]) == 0
    events = _count(db, "SELECT count(*) FROM events")
    # a customer signs after the quote: one new message, one new event
    first = email.message_from_bytes(inbox[0], policy=email.policy.default)
    late = mail(
        first["From"],
        "info@office.example.jp",
        "Re: 代行のお願い 0",
        "今回は見送ります。",
        datetime(2026, 11, 20, 10, tzinfo=JST),
        reply_to=first,
    )
    seed(server, "INBOX", [raw(late)])
    capsys.readouterr()
    assert main(["sync", "--db", str(db)]) == 0
    assert "INBOX 1" in capsys.readouterr().out
    assert _count(db, "SELECT count(*) FROM mail_messages") == len(inbox) + len(sent) + 1
    assert _count(db, "SELECT count(*) FROM events") == events + 1
    inquiries = _rows(db, "inquiries")
    all_events = _rows(db, "events")

    # the server renumbers Sent (new UIDVALIDITY): read again, nothing doubled
    old = _count(db, "SELECT uidvalidity FROM mail_folders WHERE folder = 'Sent'")
    recreate(server, "Sent", sent)
    assert main(["sync", "--db", str(db)]) == 0
    assert "UIDVALIDITY" in capsys.readouterr().out
    assert _count(db, "SELECT uidvalidity FROM mail_folders WHERE folder = 'Sent'") != old
    assert _count(db, "SELECT count(*) FROM mail_messages") == len(inbox) + len(sent) + 1
    assert _rows(db, "inquiries") == inquiries
    assert _rows(db, "events") == all_events


@pytest.mark.slow
def test_a_dropped_connection_loads_nothing_and_the_next_run_picks_up(
    server: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    inbox, sent = office_week(START, 20)
    seed(server, "INBOX", inbox)
    seed(server, "Sent", sent)
    db = tmp_path / "ops.duckdb"
    seed_only = office_week(START, 1)
    # one synced message first, so the database exists and must stay as it is
    proxy = DroppingProxy(server, limit=6000)  # the greeting, login and part of the FETCH
    monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "p.toml", proxy.port)))
    assert main(["sync", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert proxy.dropped
    assert "接続に失敗" in err
    assert "何も読み込んでいません" in err
    assert not db.exists()
    assert "failed" in (tmp_path / "ops.duckdb.sync.json").read_text(encoding="utf-8")
    proxy.close()
    del seed_only

    monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "s2.toml", server)))
    assert main(["sync", "--db", str(db)]) == 0
    assert _count(db, "SELECT count(*) FROM mail_messages") == len(inbox) + len(sent)
    before = _digest(db)
    seed(
        server,
        "INBOX",
        [
            raw(
                mail(
                    "x@mail.example.jp",
                    "info@office.example.jp",
                    "質問",
                    "お名前：X\n",
                    datetime(2026, 11, 21, 9, tzinfo=JST),
                )
            )
        ],
    )
    proxy = DroppingProxy(server, limit=900)
    monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "p2.toml", proxy.port)))
    assert main(["sync", "--db", str(db)]) == 1
    assert _digest(db) == before
    proxy.close()


@pytest.mark.slow
def test_wrong_password_and_no_office_address_refuse_with_exit_2(
    server: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    db = tmp_path / "ops.duckdb"
    monkeypatch.setenv("OPSDASH_IMAP_PASSWORD", "wrong password")
    assert main(["sync", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "ログインを拒否" in err
    assert "OPSDASH_IMAP_PASSWORD" in err
    assert "Traceback" not in err
    assert not db.exists()

    monkeypatch.setenv("OPSDASH_IMAP_PASSWORD", PASSWORD)
    monkeypatch.setenv(
        "OPSDASH_SETTINGS", str(_settings(tmp_path / "n.toml", server, office=False))
    )
    assert main(["sync", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "事務所のメールアドレスが設定されていません" in err
    assert "office_addresses" in err

    monkeypatch.delenv("OPSDASH_IMAP_PASSWORD")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "o.toml", server)))
    assert main(["sync", "--db", str(db)]) == 2
    assert "OPSDASH_IMAP_PASSWORD" in capsys.readouterr().err


@pytest.mark.slow
def test_dry_run_says_what_it_would_add_and_changes_nothing(
    server: int, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    inbox, sent = office_week(START, 4)
    seed(server, "INBOX", inbox)
    seed(server, "Sent", sent)
    db = tmp_path / "ops.duckdb"
    assert main(["sync", "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "新しい問い合わせ 4 件" in out
    assert "何も変更していません" in out
    assert not db.exists()


@pytest.mark.slow
def test_tls_with_a_self_signed_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    with pymap_server(cert, key) as port:
        seed(port, "Sent", [], cafile=cert)
        monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "t.toml", port, tls=True)))
        monkeypatch.setenv("OPSDASH_IMAP_PASSWORD", PASSWORD)
        db = tmp_path / "ops.duckdb"
        # not trusted: refused before any password is sent
        assert main(["sync", "--db", str(db)]) == 1
        assert "CERTIFICATE" in capsys.readouterr().err.upper()
        monkeypatch.setenv("OPSDASH_IMAP_CAFILE", str(cert))
        assert main(["sync", "--db", str(db)]) == 0
        assert "INBOX 0" in capsys.readouterr().out


@pytest.mark.slow
def test_every_keeps_running_and_stops_cleanly_on_sigterm(server: int, tmp_path: Path) -> None:
    inbox, sent = office_week(START, 2)
    seed(server, "INBOX", inbox)
    seed(server, "Sent", sent)
    db = tmp_path / "ops.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "sync", "--db", str(db), "--every", "1s"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline and sum("次回の同期" in x for x in lines) < 2:
        lines.append(proc.stdout.readline())
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "停止しました" in out
    assert "Traceback" not in err
    assert _count(db, "SELECT count(*) FROM mail_messages") == len(inbox) + len(sent)


def test_mailbox_command_refuses_without_office_addresses(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    box = tmp_path / "in"
    box.mkdir()
    inbox, _ = office_week(START, 1)
    (box / "a.eml").write_bytes(inbox[0])
    settings = tmp_path / "none.toml"
    settings.write_text('language = "en"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["mailbox", str(box), "--out", str(out), "--settings", str(settings)]) == 2
    err = capsys.readouterr().err
    assert "No office addresses are set" in err
    assert "office_addresses" in err
    assert not out.exists()


def test_save_office_addresses_keeps_the_file_and_replaces_an_array(tmp_path: Path) -> None:
    from pipelines.mailbox.settings import load_mailbox_settings, save_office_addresses
    from pipelines.settings import SettingsError

    path = tmp_path / "s.toml"
    path.write_text('language = "en"\n', encoding="utf-8")
    assert save_office_addresses(path, ["a@office.example.jp"]) == ("a@office.example.jp",)
    assert path.read_text(encoding="utf-8").startswith('language = "en"\n')
    path.write_text(
        '[mailbox]\noffice_addresses = [\n  "old@x.example",\n]  # old\nskip_automatic = true\n'
        '\n[imap]\nhost = "h"\n',
        encoding="utf-8",
    )
    save_office_addresses(path, ["noreply@", "@office.example.jp"])
    text = path.read_text(encoding="utf-8")
    assert "old@x.example" not in text
    assert 'host = "h"' in text
    assert "skip_automatic" in text
    assert load_mailbox_settings(path).office_addresses == ("noreply@", "@office.example.jp")
    with pytest.raises(SettingsError):
        save_office_addresses(path, ["office at example"])
    assert load_mailbox_settings(path).office_addresses == ("noreply@", "@office.example.jp")
