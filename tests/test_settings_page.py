"""The owner's Settings page edits the office addresses (AppTest, accounts on): checked, refused in the
reader's language, saved into the settings file with its other text kept, audited; staff never see it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.mailbox import load_mailbox_settings
from pipelines.office import accounts, audit
from tests.conftest import dashboard

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
AS_OF = "2026-11-24"
OFFICE_TEXT = (
    "# our office\n"
    'language = "ja"\n\n'
    "[mailbox]\n"
    "# who we are\n"
    "mail_read_minutes = 4\n"
    'office_addresses = ["old@office.example"]\n'
)


@pytest.fixture
def office(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(database, settings file): the sample with a Japanese owner and an English staff account."""
    db = Path(shutil.copyfile(sample_db, tmp_path / "ops.duckdb"))
    accounts.add_account(db, "boss", PASSWORD, "owner", "os:test", lang="ja")
    accounts.add_account(db, "sam", PASSWORD, "staff", "os:test", lang="en")
    settings = tmp_path / "office.toml"
    settings.write_text(OFFICE_TEXT, encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    return db, settings


def signed_in(db: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> AppTest:
    """The dashboard after name signed in (no ?lang=: pages speak the account's language)."""
    at = dashboard(db, monkeypatch, as_of=AS_OF)
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_the_owner_edits_checks_and_saves_the_office_addresses_in_japanese(
    office: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, settings = office
    at = signed_in(db, monkeypatch, "boss")
    at.switch_page("views/settings.py").run()
    assert not at.exception
    assert "事務所のメールアドレス" in [s.value for s in at.subheader]
    editor = at.text_area(key="office_addresses")
    assert editor.value == "old@office.example"  # what the file holds

    # a bad entry: refused in the owner's language, naming it; the file is untouched
    editor.input("info@office.example\n受付 office").run()
    at.button(key="save_office_addresses").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors == ["「受付 office」はメールアドレス・@ドメイン・名前@ のどれでもありません。"]
    assert settings.read_text(encoding="utf-8") == OFFICE_TEXT
    assert not audit.rows(db, kind="settings_change")

    # good entries: saved (lower-cased, duplicates once), the file's other text kept, audited
    at.text_area(key="office_addresses").input(
        "Info@Office.example\n@branch.example.jp\nnoreply@\ninfo@office.example"
    ).run()
    at.button(key="save_office_addresses").click().run()
    assert not at.exception
    assert not at.error
    assert [s.value for s in at.success] == ["事務所のアドレス 3 件を保存しました。"]
    text = settings.read_text(encoding="utf-8")
    assert "# our office" in text
    assert "# who we are" in text
    assert "mail_read_minutes = 4" in text
    assert "old@office.example" not in text
    assert load_mailbox_settings(settings).office_addresses == (
        "info@office.example",
        "@branch.example.jp",
        "noreply@",
    )
    [row] = audit.rows(db, kind="settings_change")
    assert (row.who, row.detail) == ("boss", {"what": "office_addresses", "count": 3})

    # opened again, the editor shows what was saved
    at.switch_page("views/today.py").run()
    at.switch_page("views/settings.py").run()
    assert at.text_area(key="office_addresses").value == (
        "info@office.example\n@branch.example.jp\nnoreply@"
    )


def test_staff_cannot_reach_the_settings_page(
    office: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, settings = office
    at = signed_in(db, monkeypatch, "sam")
    at.switch_page("views/settings.py").run()
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "This page is not available for your role (staff). Ask the owner if you need it."
    ]
    assert not [a for a in at.text_area if a.key == "office_addresses"]
    assert not [b for b in at.button if b.key == "save_office_addresses"]
    assert not [b for b in at.button if b.key == "tpl_save"]
    assert settings.read_text(encoding="utf-8") == OFFICE_TEXT
