"""The people commands: users add|list|set|passwd|disable and audit; today, digest and loads audited."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from pipelines.__main__ import main
from pipelines.office import accounts, audit

PASSWORD = "correct horse battery"


def run(
    argv: list[str], capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, stdin: str = ""
) -> tuple[int, str, str]:
    """Run the CLI in-process with stdin; (exit code, stdout, stderr)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ops.duckdb"
    shutil.copyfile(sample_db, path)
    return path


def test_users_add_list_set_disable(
    db: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An owner and a staff member are added from stdin, listed, changed and disabled."""
    base = ["--db", str(db), "--lang-out", "en"]
    code, out, _ = run(["users", "list", *base], capsys, monkeypatch)
    assert code == 0
    assert "No accounts" in out
    code, out, _ = run(
        ["users", "add", "Boss", "--role", "owner", "--password-stdin", "--lang", "en", *base],
        capsys,
        monkeypatch,
        stdin=PASSWORD + "\n",
    )
    assert (code, out) == (0, "Account boss added (owner).\n")
    code, out, _ = run(
        [
            "users", "add", "sam", "--role", "staff", "--password-stdin", "--display", "佐藤 さん",
            "--email", "sam@example.jp", "--staff-name", "佐藤", "--staff-name", "Sato", *base,
        ],
        capsys,
        monkeypatch,
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(["users", "list", "--json", *base], capsys, monkeypatch)
    listed = {a["name"]: a for a in json.loads(out)}
    assert listed["sam"] == {
        "name": "sam",
        "display_name": "佐藤 さん",
        "role": "staff",
        "lang": "ja",
        "email": "sam@example.jp",
        "staff_names": ["佐藤", "Sato"],
        "disabled": False,
    }
    assert "password" not in out
    code, _, _ = run(
        ["users", "set", "sam", "--lang", "en", "--role", "owner", *base], capsys, monkeypatch
    )
    assert code == 0
    assert accounts.get_account(db, "sam").role == "owner"
    code, out, _ = run(["users", "disable", "boss", *base], capsys, monkeypatch)
    assert (code, out) == (0, "Account boss disabled; its sessions ended.\n")
    code, _, err = run(["users", "disable", "sam", *base], capsys, monkeypatch)
    assert code == 2
    assert "last owner" in err
    kinds = [(r.who.startswith("os:"), r.kind) for r in audit.rows(db)]
    assert kinds == [
        (True, "account_add"),
        (True, "account_add"),
        (True, "account_change"),
        (True, "account_change"),
    ]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["users", "add", "x", "--role", "owner", "--password-stdin"], "short\n", "at least 10"),
        (["users", "add", "x", "--role", "owner", "--password-stdin"], "", "No password"),
        (["users", "add", "a b", "--role", "owner", "--password-stdin"], PASSWORD, "login name"),
        (["users", "passwd", "nobody", "--password-stdin"], PASSWORD, "No account 'nobody'"),
        (["users", "set", "nobody", "--lang", "en"], "", "No account 'nobody'"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    db: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: str,
    message: str,
) -> None:
    """Refused input: exit 2, one line naming the problem, no traceback, nothing stored."""
    code, _, err = run([*argv, "--db", str(db), "--lang-out", "en"], capsys, monkeypatch, stdin)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert accounts.list_accounts(db) == []


def test_passwd_resets_a_forgotten_owner_password(
    db: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """users passwd sets a new password, lifts a lock, and the old password stops working."""
    accounts.add_account(db, "boss", PASSWORD, "owner", "os:test")
    for _ in range(5):
        with pytest.raises(accounts.AccountError):
            accounts.login(db, "boss", "forgotten it!")
    code, _, _ = run(
        ["users", "passwd", "boss", "--password-stdin", "--db", str(db)],
        capsys,
        monkeypatch,
        stdin="a brand new password\n",
    )
    assert code == 0
    assert accounts.login(db, "boss", "a brand new password").name == "boss"
    with pytest.raises(accounts.AccountError):
        accounts.login(db, "boss", PASSWORD)


@pytest.mark.slow
def test_today_digest_and_load_leave_audit_rows_naming_the_os_user(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI needs no login, but what it exports or loads is on the record as os:<user>."""
    monkeypatch.setattr("getpass.getuser", lambda: "clerk")
    out_csv = tmp_path / "today.csv"
    code, _, _ = run(
        ["today", "--db", str(db), "--as-of", "2026-11-20", "--csv", str(out_csv)],
        capsys,
        monkeypatch,
    )
    assert code == 0
    code, out, _ = run(["audit", "--db", str(db), "--json"], capsys, monkeypatch)
    [row] = json.loads(out)
    assert row["who"] == "os:clerk"
    assert row["kind"] == "export"
    assert row["detail"]["what"] == "today"
    assert row["detail"]["rows"] > 0
    assert row["detail"]["to"] == [str(out_csv)]
    code, out, _ = run(
        ["audit", "--db", str(db), "--since", "2999-01-01", "--lang-out", "en"], capsys, monkeypatch
    )
    assert (code, out) == (0, "No audit rows.\n")


def test_every_people_command_has_help(capsys: pytest.CaptureFixture) -> None:
    """users and audit, and each users verb, answer --help."""
    for argv in (
        ["users"],
        ["audit"],
        *[["users", v] for v in ("add", "list", "set", "passwd", "disable")],
    ):
        with pytest.raises(SystemExit) as caught:
            main([*argv, "--help"])
        assert caught.value.code == 0
        assert "usage:" in capsys.readouterr().out
