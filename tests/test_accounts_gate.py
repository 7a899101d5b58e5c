"""The lock through Streamlit's AppTest: it fails closed on every broken security configuration, staff
see only their pages, the owner's Accounts and Audit pages work, and downloads are audited."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from pipelines.office import accounts, audit, sessions
from pipelines.office.store import key_path, office_path
from tests.conftest import dashboard

PASSWORD = "correct horse battery"
AS_OF = "2026-11-24"


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample (its office store starts empty)."""
    path = tmp_path / "ops.duckdb"
    shutil.copyfile(sample_db, path)
    return path


@pytest.fixture
def with_accounts(db: Path) -> Path:
    accounts.add_account(db, "boss", PASSWORD, "owner", "os:test", lang="en")
    accounts.add_account(db, "sam", PASSWORD, "staff", "os:test", lang="en")
    return db


@pytest.fixture
def option() -> Iterator[object]:
    """Set Streamlit config options for one test (restored afterwards)."""
    changed: dict[str, object] = {}

    def set_option(name: str, value: object) -> None:
        changed.setdefault(name, config.get_option(name))
        config.set_option(name, value)

    yield set_option
    for name, value in changed.items():
        config.set_option(name, value)


def closed_text(at: AppTest) -> str:
    """What a closed dashboard shows: its title and the error, as read (Markdown escapes undone)."""
    assert not at.exception
    assert [t.value for t in at.title] in (
        ["The dashboard is not serving pages"],
        ["ダッシュボードは表示を停止しています"],
    )
    assert not at.metric
    assert not at.dataframe
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))


def login(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'\xef\xbb\xbfpassword_sha256 = "abc"\n', "shared password"),  # Notepad's BOM
        (b'password_sha256 = "abc\n', "cannot be read"),  # a TOML error
        (b'pasword_sha256 = "abc"\n', "shared password"),  # a misspelt key
        (b'password_sha256 = ""\n', "shared password"),  # an empty hash
        (b"\xff\xfe garbage", "cannot be read"),  # not UTF-8
    ],
)
def test_an_old_password_gate_never_serves_an_open_page(
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    option: object,
    content: bytes,
    expected: str,
) -> None:
    """A secrets.toml that is broken or still sets a shared password stops every page (issue 21)."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_bytes(content)
    option("secrets.files", [str(secrets)])
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en")
    assert expected in closed_text(at)
    assert str(secrets) in closed_text(at)


def test_a_shared_password_is_ignored_once_accounts_exist(
    with_accounts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: object
) -> None:
    """With accounts the login card stands guard; the old hash no longer matters."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('password_sha256 = "abc"\n', encoding="utf-8")
    option("secrets.files", [str(secrets)])
    at = dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="en")
    assert [t.value for t in at.title] == ["Phone-proxy operations"]
    assert at.text_input(key="login_password")


def test_a_damaged_store_key_or_settings_file_stops_the_dashboard(
    with_accounts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each names the file and what to do, in the reader's language, and shows nothing else."""
    sessions.signing_key(with_accounts)  # made on first run
    key_path(with_accounts).chmod(0o644)
    at = dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="ja")
    assert "chmod 600" in closed_text(at)
    key_path(with_accounts).chmod(0o600)
    office_path(with_accounts).write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        office_path(with_accounts).with_name(office_path(with_accounts).name + suffix).unlink(
            missing_ok=True
        )
    at = dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="en")
    assert "is damaged" in closed_text(at)
    bad = tmp_path / "settings.toml"
    bad.write_text("session_idle_minutes = 0\n", encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(bad))
    at = dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="en")
    assert "session_idle_minutes" in closed_text(at)


@pytest.mark.slow
def test_without_accounts_only_this_computer_may_connect(
    db: Path, monkeypatch: pytest.MonkeyPatch, option: object
) -> None:
    """Asked to listen on every address with no accounts, nothing is served; on localhost a notice."""
    option("server.address", "0.0.0.0")
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en")
    assert "--server.address 127.0.0.1" in closed_text(at)
    option("server.address", "localhost")
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en")
    notice = " ".join(h.proto.body for h in at.get("html"))
    assert "anyone using this computer can see this dashboard" in notice
    assert "users add NAME --role owner" in notice


def test_the_login_card_comes_first_in_the_office_language(
    with_accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ?lang=: the card is in the office's language (Japanese by default); nothing else shows."""
    monkeypatch.setenv("OPSDASH_DB", str(with_accounts))
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=120
    )
    at.query_params["inquiry"] = "Q0004755"
    at.run()
    assert [t.value for t in at.title] == ["電話代行 業務ダッシュボード"]
    assert not at.metric
    assert not at.dataframe
    assert "Q0004755" not in " ".join(m.value for m in at.markdown)


def test_wrong_passwords_then_the_lock(
    with_accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong passwords say so; the sixth try, right or not, says the name is locked."""
    at = dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="en")
    for _ in range(5):
        login(at, "sam", "wrong wrong wrong")
        assert at.error[0].value == "Wrong login name or password."
    login(at, "sam")
    assert "locked until" in at.error[0].value
    kinds = [r.kind for r in audit.rows(with_accounts, who="sam")]
    assert kinds.count("login_failed") == 5
    assert kinds[-1] == "login_locked"


@pytest.mark.slow
def test_staff_get_their_pages_and_a_polite_no_for_the_owners(
    with_accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staff land on Today; the Overview, What-if, Accounts and Audit pages refuse them."""
    at = login(dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="en"), "sam")
    assert not at.exception
    # Today, still as of AS_OF: "Work queue for 2026/11/24 (Tue)" (signing in keeps ?as_of=)
    assert at.title[0].value == "Work queue for 2026/11/24 (Tue)"
    for page in ("views/overview.py", "views/whatif.py", "views/accounts.py", "views/audit.py"):
        at.switch_page(page).run()
        assert [w.value for w in at.warning] == [
            "This page is not available for your role (staff). Ask the owner if you need it."
        ]
        assert not at.metric
        assert not at.dataframe
        assert "Go to Today" in [link.proto.label for link in at.get("page_link")]
    for page in ("views/today.py", "views/inquiries.py", "views/data.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert not [w for w in at.warning if "not available" in w.value]


@pytest.mark.slow
def test_staff_signing_in_on_an_owner_pages_url_land_on_today(
    with_accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner signed out on Accounts, and the sign-in card kept its URL: staff signing in there
    go to their home page, not to a refusal."""
    at = dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="en", page="views/accounts.py")
    login(at, "sam")
    assert not at.exception
    assert at.title[0].value == "Work queue for 2026/11/24 (Tue)"
    assert not [w for w in at.warning if "not available" in w.value]


@pytest.mark.slow
def test_the_owner_adds_an_account_and_reads_the_trail(
    with_accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Accounts page adds a person (audited under the owner's name); the Audit page lists it."""
    at = login(dashboard(with_accounts, monkeypatch, as_of=AS_OF, lang="en"), "boss")
    assert [m.label for m in at.metric][:2] == ["Inquiries", "Conversion rate"]
    at.switch_page("views/accounts.py").run()
    at.text_input(key="add_name").input("kana")
    at.text_input(key="add_staff").input("佐藤, Sato")
    at.text_input(key="add_pw").input("another good password")
    at.text_input(key="add_pw2").input("another good password")
    at.button(key="FormSubmitter:account_add-Add").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Account kana added."]
    kana = accounts.get_account(with_accounts, "kana")
    assert kana.role == "staff"
    assert kana.staff_names == ("佐藤", "Sato")
    at.switch_page("views/audit.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Who"])[:2] == ["boss", "boss"]
    assert list(table["What"])[:2] == ["account added", "signed in"]


@pytest.mark.slow
def test_uploads_and_downloads_are_in_the_trail(
    with_accounts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staff upload is a 'load' row and the Today CSV a 'download' row, both under their name."""
    from tests.conftest import INQUIRY_COLUMNS, csv_text, inquiry

    # the sign-in card stands in for the Data page's URL, which opens once signed in
    at = login(
        dashboard(with_accounts, monkeypatch, as_of="2026-11-20", lang="en", page="views/data.py"),
        "sam",
    )
    good = csv_text(INQUIRY_COLUMNS, [inquiry("U1"), inquiry("U2")]).encode()
    at.file_uploader(key="uploads").upload("new.csv", good, "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    [row] = audit.rows(with_accounts, kind="load")
    assert (row.who, row.detail["files"], row.detail["rows_loaded"]) == ("sam", ["new.csv"], 2)
    from views import common

    build = common.audited_download(lambda: b"x", "work_queue_2026-11-20.csv", 7)
    assert build() == b"x"
    [row] = audit.rows(with_accounts, kind="download")
    assert row.detail == {"what": "work_queue_2026-11-20.csv", "rows": 7}


@pytest.mark.slow
def test_without_accounts_the_owner_pages_say_how_to_make_an_owner(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/audit and /settings with no accounts: how to create the first owner, no error; /accounts
    offers the form that creates it."""
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en")
    for page in ("views/audit.py", "views/settings.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert "users add NAME --role owner" in at.warning[0].value
        assert "create the first owner on the Accounts page" in at.warning[0].value
    at.switch_page("views/accounts.py").run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Create the first owner"]


def test_without_accounts_the_accounts_page_creates_the_first_owner(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form makes an owner (audited, as the local user); from the next run the lock asks for a
    login, and that owner signs in. Two passwords that differ make nothing."""
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en")
    at.switch_page("views/accounts.py").run()
    at.text_input(key="first_name").input("hanako")
    at.text_input(key="first_pw").input(PASSWORD)
    at.text_input(key="first_pw2").input(PASSWORD + "x")
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["The two passwords differ."]
    assert not accounts.has_accounts(db)
    at.text_input(key="first_pw2").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    made = accounts.get_account(db, "hanako")
    assert (made.role, made.lang) == ("owner", "en")  # the page's language
    assert [(r.who, r.kind) for r in audit.rows(db, kind="account_add")] == [
        ("local", "account_add")
    ]
    # the lock is on: the sign-in card, saying who was made, with the name filled in
    assert "Owner hanako created" in at.info[0].value
    assert at.text_input(key="login_name").value == "hanako"
    at.text_input(key="login_name").input("hanako")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert not any(w.key == "login_password" for w in at.text_input)


def test_the_first_owner_form_makes_nothing_once_an_account_exists(with_accounts: Path) -> None:
    """first=True checks and writes in one transaction: someone else's account made meanwhile
    refuses the second first owner."""
    with pytest.raises(accounts.AccountError) as refused:
        accounts.add_account(with_accounts, "late", PASSWORD, "owner", "local", first=True)
    assert refused.value.code == "not_first"
    assert accounts.get_account(with_accounts, "late") is None
