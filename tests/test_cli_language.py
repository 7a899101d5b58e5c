"""The command line speaks the office's language (SPEC "Language and downloads"): load and report
sentences, refusals and errors come from pipelines/i18n in Japanese or English; the office's
`language` setting is the default, --lang overrides; --json stays the same in both."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipelines.__main__ import main
from tests.conftest import INQUIRY_COLUMNS, copy_folder, csv_text, event, inquiry, write

HEADER = "問い合わせID,受付日時,お名前,ご住所,架電先,対応時間,サービス,チャネル,本文\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a database holding one inquiry, loaded in English (made once per module)."""
    folder = tmp_path_factory.mktemp("loaded")
    seed = write(folder / "seed.csv", csv_text(INQUIRY_COLUMNS, [inquiry("SEED1")]))
    assert main(["load", str(seed), "--lang", "en", "--db", str(folder / "ops.duckdb")]) == 0
    return folder


@pytest.fixture
def db(loaded: Path, tmp_path: Path) -> Path:
    """A database with one inquiry, loaded in English (this test's own copy)."""
    return copy_folder(loaded, tmp_path) / "ops.duckdb"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A CP932 export whose fifth line was saved as UTF-8 (a row pasted from another program)."""
    rows = "".join(
        f"Q{i},2026-11-0{i} 10:00,山田太郎,東京都,03-1234-5678,10,退職の連絡,メール,お願いします\n"
        for i in range(1, 4)
    )
    utf8_row = "Q9,2026-11-09 10:00,田中一郎,東京都,03-1234-5678,10,退職の連絡,メール,よろしく\n"
    path = tmp_path / "問い合わせ.csv"
    path.write_bytes((HEADER + rows).encode("cp932") + utf8_row.encode("utf-8"))
    return path


def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    settings = tmp_path / f"settings-{language}.toml"
    settings.write_text(f'language = "{language}"\n', encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "ja",
            [
                "エラー: 問い合わせ.csv:",
                "正しくないバイトがあります（5行目）",
                "データベースは元のまま",
            ],
        ),
        ("en", ["error: 問い合わせ.csv:", "bad bytes on line 5", "the database is unchanged"]),
    ],
)
def test_the_same_bad_file_is_refused_in_each_language(
    db: Path,
    mixed: Path,
    lang: str,
    words: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It names the file and the line in the words of --lang, exits 2 and changes nothing."""
    before = digest(db)
    capsys.readouterr()
    assert main(["load", str(mixed), "--lang", lang, "--db", str(db)]) == 2
    said = capsys.readouterr()
    assert said.out == ""
    assert [w for w in words if w not in said.err] == []
    other = "error:" if lang == "ja" else "エラー"
    assert other not in said.err
    assert digest(db) == before


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("ja", "正しくないバイトがあります（5行目）", "bad bytes"),
        ("en", "bad bytes on line 5", "行目"),
    ],
)
def test_the_office_language_is_the_default(
    db: Path,
    mixed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    expected: str,
    absent: str,
) -> None:
    """Without --lang the refusal is in the office's language setting."""
    office(tmp_path, monkeypatch, language)
    capsys.readouterr()
    assert main(["load", str(mixed), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert absent not in err


def test_lang_overrides_the_office_language(
    db: Path,
    mixed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office(tmp_path, monkeypatch, "en")
    capsys.readouterr()
    assert main(["load", str(mixed), "--lang", "ja", "--db", str(db)]) == 2
    assert "（5行目）" in capsys.readouterr().err


@pytest.mark.slow
def test_the_load_summary_quarantine_and_waiting_events_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The per-file lines, the rows quarantined, the events waiting and the database line."""
    db = tmp_path / "ops.duckdb"
    inquiries = write(
        tmp_path / "inquiries.csv",
        csv_text(INQUIRY_COLUMNS, [inquiry("A1"), inquiry("A2", received_at="not a date")]),
    )
    events = write(
        tmp_path / "events.csv",
        csv_text(
            ["inquiry_id", "event_at", "event", "staff_minutes"],
            [
                event("A1", "2026-11-03 10:00", "quote_sent"),
                event("ZZ9", "2026-11-03", "quote_sent"),
            ],
        ),
    )
    assert main(["load", str(inquiries), str(events), "--lang", "ja", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert (
        "inquiries.csv: 問い合わせ履歴（utf-8）— 2行を読み取り、1行を登録、重複0行を省略、1行を保留"
        in out
    )
    assert "1件の見積ログは問い合わせが未登録です" in out
    assert "1行は登録せずに保留。保留の理由: inquiries.csv " in out
    assert "問い合わせが未登録の見積ログが1件あります。" in out
    assert f"データベースを更新しました: {db}" in out
    assert "rows read" not in out
    assert "database" not in out.replace(str(db), "")
    assert main(["load", str(inquiries), "--lang", "ja", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "inquiries.csv: 読み込み済み（同じ内容）のため変更なし" in out
    assert f"データベースは変更していません: {db}" in out


@pytest.mark.slow
def test_report_words_follow_the_language_and_json_does_not(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["report", "--as-of", "2026-11-24", "--db", str(db)]
    assert main([*base, "--lang", "ja"]) == 0
    ja = capsys.readouterr().out
    assert ja.startswith("基準日")
    assert "保留行" in ja
    assert "ステータス" in ja
    assert "Quarantined" not in ja
    assert main([*base, "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert en.startswith("As of")
    assert "Quarantined rows" in en
    assert "基準日" not in en
    assert main([*base, "--json", "--lang", "ja"]) == 0
    as_ja = json.loads(capsys.readouterr().out)
    assert main([*base, "--json", "--lang", "en"]) == 0
    assert json.loads(capsys.readouterr().out) == as_ja  # codes and numbers, not sentences


def test_database_errors_are_worded_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing database, a folder, a read-only database: the user's path, in Japanese."""
    missing = tmp_path / "opz.duckdb"
    assert main(["report", "--lang", "ja", "--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"エラー: {missing}: ここにデータベースがありません" in err
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    assert main(["check", "--lang", "ja", "--db", str(folder)]) == 2
    assert "データベースファイルではなくフォルダです" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [folder]


def test_a_bad_setting_is_named_in_japanese(
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = tmp_path / "bad.toml"
    settings.write_text("silence_days = 100000\n", encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    assert main(["report", "--lang", "ja", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "設定が正しくありません" in err
    assert f"{settings}: silence_days" in err
    assert "の整数で指定してください（指定値 100000）" in err


@pytest.mark.slow
def test_check_and_the_written_file_lines_in_japanese(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--lang", "ja", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "合格　unique_inquiry_ids" in out
    assert "不合格0件" in out
    assert "passed" not in out
    target = tmp_path / "today.csv"
    args = ["today", "--as-of", "2026-11-24", "--csv", str(target), "--db", str(db)]
    assert main([*args, "--lang", "ja"]) == 0
    assert f"{target}: 1件" in capsys.readouterr().out


def test_an_interrupt_before_the_arguments_are_read_follows_lang(tmp_path: Path) -> None:
    """A signal that lands while argparse has not yet read --lang is still worded in it."""
    import os
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    code = (
        "import os, signal, sys\n"
        "from pipelines import __main__ as cli\n"
        "cli.build_parser = lambda *_: os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.exit(cli.main())\n"
    )
    db = tmp_path / "ops.duckdb"
    for lang, words in (("en", "interrupted, database unchanged"), ("ja", "中断しました")):
        done = subprocess.run(
            [sys.executable, "-c", code, "load", "x.csv", "--lang", lang, "--db", str(db)],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 128 + signal.SIGINT, done.stderr
        assert words in done.stderr
