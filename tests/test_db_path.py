"""The database path: a symlinked --db loads into the real file, a read-only database or folder is
refused (exit 2, unchanged), messages name the user's path, and the dashboard says in the reader's
language when its database or settings file cannot be used."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.__main__ import main
from pipelines.build import connect
from pipelines.loader import load_files
from pipelines.store import DatabaseReadOnly
from tests.conftest import INQUIRY_COLUMNS, copy_folder, csv_text, dashboard, inquiry, write

ROOT = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(tmp_path: Path, *ids: str, name: str = "inq.csv") -> Path:
    return write(tmp_path / name, csv_text(INQUIRY_COLUMNS, [inquiry(i) for i in ids]))


def count(db: Path) -> int:
    con = connect(db)
    try:
        return con.execute("SELECT count(*) FROM inquiries").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_a_symlinked_db_loads_into_the_real_file_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "ops.duckdb"
    real.parent.mkdir()
    load_files([export(tmp_path, "A1")], real)
    link = tmp_path / "ops.duckdb"
    link.symlink_to(real)
    assert main(["load", str(export(tmp_path, "A2", name="more.csv")), "--db", str(link)]) == 0
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert count(real) == 2
    assert not list(tmp_path.glob(".ops.duckdb*"))  # nothing was written beside the link


@pytest.mark.slow
def test_a_relative_symlink_to_a_new_database(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    link = tmp_path / "ops.duckdb"
    link.symlink_to("store/ops.duckdb")  # dangling: the load creates the target
    assert main(["load", str(export(tmp_path, "B1")), "--db", str(link)]) == 0
    assert link.is_symlink()
    assert count(tmp_path / "store" / "ops.duckdb") == 1


def make_read_only(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # 444


def test_a_read_only_database_is_refused_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ops.duckdb"
    load_files([export(tmp_path, "C1")], db)
    make_read_only(db)
    before = (digest(db), db.stat().st_ino)
    try:
        code = main(
            ["load", str(export(tmp_path, "C2", name="more.csv")), "--lang", "en", "--db", str(db)]
        )
        err = capsys.readouterr().err
        assert code == 2
        assert f"{db}: the database file is read-only" in err
        assert "Traceback" not in err
        assert (digest(db), db.stat().st_ino) == before
        assert stat.S_IMODE(db.stat().st_mode) == 0o444
    finally:
        db.chmod(0o644)


def test_a_read_only_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "ops.duckdb"
    load_files([export(tmp_path, "D1")], db)
    before = digest(db)
    folder.chmod(0o555)
    try:
        code = main(
            ["load", str(export(tmp_path, "D2", name="more.csv")), "--lang", "en", "--db", str(db)]
        )
        err = capsys.readouterr().err
        assert code == 2
        assert "is read-only" in err
        assert digest(db) == before
    finally:
        folder.chmod(0o755)


def test_the_library_refuses_a_read_only_database_too(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    load_files([export(tmp_path, "E1")], db)
    make_read_only(db)
    try:
        with pytest.raises(DatabaseReadOnly, match="read-only"):
            load_files([export(tmp_path, "E2", name="more.csv")], db)
    finally:
        db.chmod(0o644)


@pytest.mark.slow
def test_a_read_only_database_is_still_readable(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    load_files([export(tmp_path, "F1")], db)
    make_read_only(db)
    try:
        assert count(db) == 1
    finally:
        db.chmod(0o644)


@pytest.mark.parametrize("command", ["report", "today", "check"])
def test_an_unreadable_database_is_named_by_the_users_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    db = tmp_path / "ops.duckdb"
    db.write_bytes(b"this is not a database" * 500)
    assert main([command, "--lang", "en", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"{db}: not a database" in err
    assert ".reader-" not in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_an_unreadable_database_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    db.write_bytes(b"\x00garbage" * 1000)
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines", "report", "--json", "--db", str(db)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert str(db) in proc.stderr
    assert ".reader-" not in proc.stderr


# ---------------------------------------------------------------------------- the dashboard


@pytest.mark.slow
def test_a_database_replaced_by_garbage_while_the_app_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ops.duckdb"
    load_files([export(tmp_path, "G1")], db)
    at = dashboard(db, monkeypatch, lang="ja", as_of="2026-11-24")
    assert not at.exception
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"not a database at all" * 1000)
    os.replace(garbage, db)
    at.run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any("データベース" in m and "読み込めません" in m for m in messages), messages


@pytest.fixture(scope="module")
def h1_loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a database of inquiry H1 and its export, loaded once for the module."""
    folder = tmp_path_factory.mktemp("h1")
    load_files([export(folder, "H1")], folder / "ops.duckdb")
    return folder


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("problem", ["missing", "broken"])
def test_an_unusable_settings_file_gives_a_message_in_the_readers_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, problem: str, h1_loaded: Path
) -> None:
    db = copy_folder(h1_loaded, tmp_path) / "ops.duckdb"  # this test's copy of the H1 load
    settings = tmp_path / "settings.toml"
    if problem == "broken":
        settings.write_text("min_lead_days = = 3\n", encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    at = dashboard(db, monkeypatch, lang=lang, as_of="2026-11-24")
    assert not at.exception
    [message] = [e.value for e in at.error]
    assert ("設定ファイル" if lang == "ja" else "The settings file cannot be used") in message
