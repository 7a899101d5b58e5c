"""python -m pipelines notify against a real SMTP server (aiosmtpd) started on 127.0.0.1 by the tests."""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import build_db, copy_folder, event, inquiry
from mailservers import free_port

from pipelines.__main__ import main
from pipelines.notify import AlertSettings, DayFacts, alerts
from pipelines.office import marks
from pipelines.office.accounts import add_account
from pipelines.worklist import WorkItem

INQUIRIES = [
    inquiry("SIGN_BY", requested_for="2026-11-29"),
    inquiry("UNQUOTED", "2026-11-10 10:00", requested_for="2026-12-30"),
    inquiry("FOLLOW", "2026-11-10 10:00", requested_for="2026-12-30"),
    inquiry("UPCOMING", requested_for="2026-11-30 14:00"),
]
EVENTS = [
    event("SIGN_BY", "2026-11-02 15:00", "quote_sent"),
    event("FOLLOW", "2026-11-18 10:00", "quote_sent"),
    event("UPCOMING", "2026-11-02 15:00", "quote_sent"),
    event("UPCOMING", "2026-11-06 10:00", "contract_signed"),
]


class Inbox:
    """aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the rows loaded and three accounts (made once; each test gets a copy)."""
    folder = tmp_path_factory.mktemp("office")
    db = build_db(folder, INQUIRIES, EVENTS)
    add_account(
        db, "hana", "a long password 1", "owner", "test", "花子", "hana@office.example.jp", "ja"
    )
    add_account(
        db, "tom", "a long password 2", "staff", "test", "Tom", "tom@office.example.jp", "en"
    )
    add_account(db, "nomail", "a long password 3", "staff", "test")
    return folder


@pytest.fixture
def office(loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_folder(loaded, tmp_path) / "t.duckdb"


def _settings(path: Path, port: int) -> Path:
    path.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = false\nfrom = "info@office.example.jp"\n'
        '\n[notify]\ndashboard_url = "https://ops.office.example.jp"\n',
        encoding="utf-8",
    )
    return path


def _parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


@pytest.mark.slow
def test_notify_mails_each_person_once_a_day_in_their_language(
    office: Path, smtp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    port, inbox = smtp
    monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "s.toml", port)))
    marks.claim(office, "UPCOMING", "hana")
    assert main(["notify", "--db", str(office), "--as-of", "2026-11-24"]) == 0
    assert len(inbox.messages) == 2
    by_to = {rcpt[0]: _parse(raw) for rcpt, raw in inbox.messages}
    ja, en = by_to["hana@office.example.jp"], by_to["tom@office.example.jp"]
    assert ja["Subject"].startswith("本日の業務（2026-11-24）")
    raw_ja = next(raw for rcpt, raw in inbox.messages if rcpt == ["hana@office.example.jp"])
    assert b"Subject: =?utf-8?" in raw_ja  # RFC 2047 words, 7-bit headers
    assert en["Subject"].startswith("Your day, 2026-11-24")
    ja_text = ja.get_body(("plain",)).get_content()
    en_text = en.get_body(("plain",)).get_content()
    assert "花子 さん、おはようございます" in ja_text
    assert "架電予定" in ja_text
    assert "https://ops.office.example.jp/inquiries?inquiry=UPCOMING&lang=ja" in ja_text
    assert "あなたの担当（1 件）" in ja_text  # hana claimed UPCOMING: hers, not in tom's lists
    assert "Claimed by you (0)" in en_text
    assert "Upcoming calls — nobody claimed 0" in en_text
    assert "inquiry=UPCOMING" not in en_text
    [ics] = [p for p in en.iter_attachments() if p.get_filename() == "calls-20261124.ics"]
    assert b"UPCOMING" in ics.get_payload(decode=True)

    capsys.readouterr()
    assert main(["notify", "--db", str(office), "--as-of", "2026-11-24"]) == 0
    assert len(inbox.messages) == 2  # nobody gets the same day twice
    assert "送信済み" in capsys.readouterr().out
    assert main(["notify", "--db", str(office), "--as-of", "2026-11-25"]) == 0
    assert len(inbox.messages) == 4  # a new day is a new mail


@pytest.mark.slow
def test_notify_dry_run_writes_eml_files_and_sends_nothing(
    office: Path, smtp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, inbox = smtp
    monkeypatch.setenv("OPSDASH_SETTINGS", str(_settings(tmp_path / "s.toml", port)))
    out = tmp_path / "mails"
    assert (
        main(
            ["notify", "--db", str(office), "--as-of", "2026-11-24", "--dry-run", "--out", str(out)]
        )
        == 0
    )
    files = sorted(p.name for p in out.iterdir())
    assert files == ["2026-11-24-hana.eml", "2026-11-24-tom.eml"]
    assert not inbox.messages
    mail = _parse((out / "2026-11-24-hana.eml").read_bytes())
    assert mail["To"].addresses[0].addr_spec == "hana@office.example.jp"
    assert "本日の業務" in mail["Subject"]
    # a dry run records nothing: the real run still sends both
    assert main(["notify", "--db", str(office), "--as-of", "2026-11-24"]) == 0
    assert len(inbox.messages) == 2


def test_notify_without_smtp_refuses_with_exit_2(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    (tmp_path / "none.toml").write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(tmp_path / "none.toml"))
    assert main(["notify", "--db", str(office), "--as-of", "2026-11-24"]) == 2
    assert "[smtp]" in capsys.readouterr().err


def _item(list_name: str, inquiry_id: str, overdue: bool = False) -> WorkItem:
    return WorkItem(
        list_name, inquiry_id, "n", None, None, "", None, None, "", "—", None, None, "step", overdue
    )


def test_alerts_fire_on_their_thresholds() -> None:
    items = {
        "quote_due": [_item("quote_due", f"Q{i}", overdue=True) for i in range(3)],
        "sign_by": [_item("sign_by", "S1"), _item("sign_by", "S2")],
    }
    noon = datetime(2026, 11, 24, 12, 5)
    facts = DayFacts(
        items=items,
        claims={"S2": "hana"},
        conversion_7=0.20,
        conversion_28=0.35,
        sync_failing_since=datetime(2026, 11, 24, 10, 0),
        now=noon,
    )
    fired = alerts(facts, AlertSettings(), "en")
    assert len(fired) == 4
    assert "3 quotes are overdue" in fired[0]
    assert "S1" in fired[1]
    assert "S2" not in fired[1]
    assert "20%" in fired[2]
    assert "35%" in fired[2]
    assert "since 2026-11-24 10:00" in fired[3]
    morning = DayFacts(
        **{**facts.__dict__, "now": datetime(2026, 11, 24, 8, 0), "conversion_7": 0.3}
    )
    quiet = alerts(morning, AlertSettings(overdue_quotes=4), "ja")
    assert quiet == []
