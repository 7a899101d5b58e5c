"""The owner's Audit page reads as sentences: each kind's details worded in both languages, people by
display name, a day filter in the office's date style; the downloads add the recorded JSON."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipelines.office import accounts, audit, marks
from pipelines.trail_text import detail_text, mark_kinds, who_text
from tests.conftest import dashboard

PASSWORD = "correct horse battery"
AT = datetime(2026, 11, 20, 0, 23, tzinfo=UTC)  # Fri 2026-11-20 09:23 in Japan


@pytest.fixture
def trail_db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample with an owner, a staff member with a display name, a note, its undo and a load,
    all stamped at a fixed time."""
    monkeypatch.setattr("pipelines.office.audit.now_utc", lambda: AT)
    monkeypatch.setattr("pipelines.office.marks.now_utc", lambda: AT)
    db = tmp_path / "ops.duckdb"
    shutil.copyfile(sample_db, db)
    accounts.add_account(db, "boss", PASSWORD, "owner", "os:test", display_name="山田 社長")
    accounts.add_account(db, "aki", PASSWORD, "staff", "boss", display_name="佐藤 亜紀")
    marks.note(db, "INQ-1", "午後に再度電話", "aki")
    marks.undo(db, "INQ-1", "aki")
    audit.record(db, "os:test", "load", {"files": ["4.xlsx"], "rows_loaded": 0, "swapped": True})
    return db


def audit_page(db: Path, monkeypatch: pytest.MonkeyPatch, lang: str):
    """The Audit page's URL as of 2026-11-20, opened before anyone signed in."""
    return dashboard(db, monkeypatch, as_of="2026-11-20", lang=lang, page="views/audit.py")


def _login(at, name: str):
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    return at.button[0].click().run()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_trail_reads_as_sentences_by_display_name(
    trail_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    # the sign-in card stands in for the page the URL names, which opens once signed in
    at = _login(audit_page(trail_db, monkeypatch, lang), "boss")
    assert not at.exception
    table = at.dataframe[0].value
    details = list(table[table.columns[3]])
    assert not [d for d in details if "{" in d or "inquiry_id" in d or "swapped" in d]
    who = list(table[table.columns[1]])
    expected = {
        "ja": [
            "4.xlsx: 新しい行はありません（データベースは書き直しました）。",
            "INQ-1の「メモ」を取り消し。",
            "INQ-1にメモ:「午後に再度電話」",
        ],
        "en": [
            "4.xlsx: no new rows (the database was rewritten all the same).",
            "Took back the note on INQ-1.",
            "Note on INQ-1: “午後に再度電話”",
        ],
    }[lang]
    assert details[0] == ""  # the owner's sign-in, the newest row
    assert details[1:4] == expected
    assert who[2:4] == ["佐藤 亜紀（aki）" if lang == "ja" else "佐藤 亜紀 (aki)"] * 2
    assert who[0] == ("山田 社長（boss）" if lang == "ja" else "山田 社長 (boss)")
    # the day filter: the trail's days in the office's date style, no empty date box
    assert [d.key for d in at.date_input] == ["as_of_select"]  # the sidebar's, none on the page
    day = at.selectbox(key="trail_day")
    assert day.options[1] == ("2026/11/20（金）" if lang == "ja" else "2026/11/20 (Fri)")
    assert table[table.columns[0]][0].startswith(
        "2026/11/20（金） 09:23:" if lang == "ja" else "2026/11/20 (Fri) 09:23:"
    )
    person = at.selectbox(key="trail_person")
    assert ("佐藤 亜紀（aki）" if lang == "ja" else "佐藤 亜紀 (aki)") in person.options


@pytest.mark.slow
def test_the_day_filter_keeps_the_japan_day(
    trail_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _login(audit_page(trail_db, monkeypatch, "en"), "boss")
    at.selectbox(key="trail_day").set_value(date(2026, 11, 20)).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == len(audit.rows(trail_db))
    assert at.selectbox(key="trail_day").options == ["(every day)", "2026/11/20 (Fri)"]


@pytest.mark.slow
def test_the_downloads_carry_the_words_and_the_recorded_json(
    trail_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .csv/.xlsx frame: the worded details and beside them the JSON as recorded."""
    from views import common

    frames = []
    monkeypatch.setattr(common, "download_csv", lambda frame, *a, **k: frames.append(frame))
    at = _login(audit_page(trail_db, monkeypatch, "en"), "boss")
    assert not at.exception
    frame = frames[-1]
    assert list(frame.columns) == ["When", "Who", "What", "Details", "Details (JSON)"]
    load = frame[frame["What"] == "data loaded"].iloc[0]
    assert load["Details (JSON)"] == '{"files": ["4.xlsx"], "rows_loaded": 0, "swapped": true}'
    assert load["Details"].startswith("4.xlsx: no new rows")


@pytest.mark.parametrize(
    ("kind", "detail", "ja", "en"),
    [
        (
            "login_failed",
            {"known": False},
            "この名前のアカウントはありません。",
            "No account has this name.",
        ),
        (
            "login_locked",
            {"until": "2026-11-20T05:15:00+00:00"},
            "2026/11/20（金） 14:15までロック中のため、ログインを断りました。",
            "Refused: the name is locked until 2026/11/20 (Fri) 14:15.",
        ),
        (
            "session_expired",
            {"idle_minutes": 480},
            "480分間操作がなかったため、ログアウトしました。",
            "Signed out after 480 idle minutes.",
        ),
        ("download", {"what": "today.csv", "rows": 7}, "today.csv（7行）", "today.csv, 7 rows."),
        (
            "export",
            {"what": "today", "as_of": "2026-11-20", "rows": 12, "to": ["terminal", "/x/q.csv"]},
            "2026/11/20（金）の本日のリスト（12件）を画面、q.csvへ出力。",
            "Today's lists for 2026/11/20 (Fri), 12 items, to the screen, q.csv.",
        ),
        (
            "account_change",
            {"name": "aki", "changed": {"role": "owner", "disabled": True}},
            "aki: 役割をオーナーに、無効化。",
            "aki: role owner, disabled.",
        ),
        (
            "settings_change",
            {"what": "drafts", "reason": "sign_by", "lang": "en"},
            "返信テンプレート「契約期限のご案内」（英語）を保存。",
            "Reply template “Last day to sign” (English) saved.",
        ),
        (
            "load",
            {"files": ["a.csv", "b.xlsx"], "rows_loaded": 18, "swapped": True},
            "a.csv、b.xlsx: 新しい行18件を登録し、データベースを更新しました。",
            "a.csv, b.xlsx: 18 new rows; the database was updated.",
        ),
        (
            "load",
            {"files": ["a.csv"], "rows_loaded": 0, "swapped": False},
            "a.csv: 新しい行はなく、データベースは変更していません。",
            "a.csv: nothing new; the database was not changed.",
        ),
        (
            "sync",
            {"outcome": "ok", "new_messages": 3, "new_inquiries": 1, "review": 0},
            "新着メール3件、新しい問い合わせ1件、要確認0件。",
            "New: 3 messages, 1 inquiry; 0 to check.",
        ),
        (
            "mark",
            {
                "mark": "done",
                "kind": "done",
                "inquiry_id": "Q-9",
                "list": "eligible",
                "day": "2026-11-20",
                "seq": 4,
            },
            "Q-9を「本日の架電」で対応済みに（2026/11/20（金）分）。",
            "Q-9 done on “Calls to make” for 2026/11/20 (Fri).",
        ),
        (
            "mark",
            {
                "mark": "claim",
                "kind": "claim",
                "inquiry_id": "Q-9",
                "takeover_from": "aki",
                "seq": 5,
            },
            "Q-9を佐藤 亜紀（aki）から引き継いで担当。",
            "Claimed Q-9, taking it over from 佐藤 亜紀 (aki).",
        ),
        ("mystery", {"b": [1], "a": "x"}, "a: x、b: [1]", "a: x, b: [1]"),
        ("login", {}, "", ""),
    ],
)
def test_each_kind_is_a_sentence_in_both_languages(
    kind: str, detail: dict, ja: str, en: str
) -> None:
    names = {"aki": "佐藤 亜紀"}
    assert detail_text(kind, detail, "ja", names) == ja
    assert detail_text(kind, detail, "en", names) == en


def test_an_undo_names_what_it_took_back_and_people_read_as_names() -> None:
    rows = [("mark", {"mark": "snooze", "seq": 2}), ("login", {})]
    undo = {"mark": "undo", "inquiry_id": "Q-1", "undoes": 2, "seq": 3}
    assert detail_text("mark", undo, "ja", kinds=mark_kinds(rows)) == "Q-1の「保留」を取り消し。"
    assert detail_text("mark", undo, "en") == "Took back the mark no. 2 on Q-1."
    assert who_text("os:sato", {}, "ja") == "この端末のコマンド（sato）"
    assert who_text("local", {}, "en") == "this computer (no accounts)"
    assert who_text("kana", {"kana": "kana"}, "ja") == "kana"
