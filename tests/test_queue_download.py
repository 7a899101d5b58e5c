"""The work queue's downloads (SPEC "Language and downloads", "The office's marks"): the CSV and the
.xlsx of Today and `today --csv/--xlsx` say status and reasons in the download's words, who holds each
item as the cards name them, done or snoozed (until when) and the notes, with the codes last; a note
that looks like a formula stays text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from pipelines import api
from pipelines.__main__ import main
from pipelines.build import connect
from pipelines.office import accounts, marks
from pipelines.settings import load_settings
from pipelines.worklist import queue_file
from tests.conftest import build_db, copy_folder, dashboard, event, inquiry

AS_OF = date(2026, 11, 20)  # a Friday
MARKED_AT = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)  # 10:30 in Japan
FORMULA = '=HYPERLINK("http://evil.example","click")'
INQUIRIES = [
    # urgent (asked for the day after tomorrow): a refusal to send, held by an account with notes
    inquiry("RU", "2026-11-19 09:00", requested_for="2026-11-21", target_phone="0312345678"),
    # no number to call, quoted: last day to sign and follow up; held without an account
    inquiry("SB", "2026-11-16 10:00", requested_for="2026-11-23", target_phone=""),
    # a quote overdue, snoozed
    inquiry("QD", "2026-11-10 10:00", requested_for="2026-12-20"),
]
EVENTS = [event("SB", "2026-11-17 10:00", "quote_sent", amount_jpy=20000, staff="鈴木")]


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A database with the office's marks beside it, and its lists as of AS_OF (with details)."""
    db = build_db(tmp_path_factory.mktemp("queue"), INQUIRIES, EVENTS, name="ops.duckdb")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("pipelines.office.marks.now_utc", lambda: MARKED_AT)
        accounts.add_account(db, "hanako", "a-long-password", "staff", "os:test", "山田花子")
        marks.claim(db, "RU", "hanako")
        marks.note(db, "RU", "留守電に入れました", "hanako")
        marks.note(db, "RU", FORMULA, "hanako")
        marks.claim(db, "SB", "os:root")
        marks.done(db, "SB", "follow_up", AS_OF, "os:root", datetime(2026, 11, 17, 10))
        marks.snooze(db, "QD", date(2026, 11, 26), "hanako")
    con = connect(db, load_settings())
    try:
        lists = api.staff_lists(con, AS_OF)
    finally:
        con.close()
    return db, lists


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_japanese_queue_csv_says_status_reasons_holder_and_notes(marked) -> None:
    """ステータス and 理由 in Japanese words (the codes last), 担当 as the cards name them, the notes'
    count and the newest with who and when, done and snoozed items marked."""
    db, lists = marked
    settings = load_settings()
    rows = _csv_rows(queue_file(lists, db, "ja", settings, "csv", include_marked=True))
    by = {(r["リスト"], r["問い合わせID"]): r for r in rows}
    ru = by[("お断りの連絡", "RU")]
    assert ru["ステータス"] == "お断り（急ぎの依頼）"
    assert ru["理由"] == f"問い合わせから{settings.min_lead_days}日未満の希望日"
    assert (ru["ステータスコード"], ru["理由コード"]) == ("rejected_urgent", "SHORT_NOTICE")
    assert ru["担当"] == "山田花子"  # the account's display name, not its login
    assert ru["メモ件数"] == "2"
    assert ru["最新のメモ"] == "'" + FORMULA + "（山田花子、2026/11/20（金） 10:30）"
    assert ru["架電先"] == "0312345678"
    assert (ru["対応済み・保留"], ru["保留期限"]) == ("", "")
    sign_by = by[("契約期限", "SB")]
    assert (sign_by["ステータス"], sign_by["理由"]) == ("情報不足", "架電先の電話番号がありません")
    assert sign_by["担当"] == "この端末"  # marked without an account, as the cards say it
    assert (sign_by["メモ件数"], sign_by["最新のメモ"], sign_by["対応済み・保留"]) == ("0", "", "")
    assert by[("フォローアップ", "SB")]["対応済み・保留"] == "対応済み"
    snoozed = by[("見積の送付期限", "QD")]
    assert (snoozed["対応済み・保留"], snoozed["保留期限"]) == (
        "2026/11/26（木）まで保留",
        "2026-11-26",
    )
    assert (snoozed["ステータス"], snoozed["理由"], snoozed["担当"]) == (
        "対応中",
        "見積の送付待ち",
        "",
    )


def test_english_queue_csv_says_the_same_in_english(marked) -> None:
    """The English file: the same columns in English words; without include_marked the done and
    snoozed items are left out, as on the lists."""
    db, lists = marked
    rows = _csv_rows(queue_file(lists, db, "en", load_settings(), "csv"))
    by = {(r["List"], r["Inquiry"]): r for r in rows}
    assert ("Follow up", "SB") not in by
    assert ("Quotes due", "QD") not in by
    ru = by[("Refusals to send", "RU")]
    assert (ru["Status"], ru["Status code"]) == ("Rejected: urgent", "rejected_urgent")
    assert ru["Reasons"].startswith("Requested for fewer than")
    assert (ru["Held by"], ru["Notes"]) == ("山田花子", "2")
    assert ru["Latest note"] == "'" + FORMULA + " (山田花子, 2026/11/20 (Fri) 10:30)"
    sign_by = by[("Last day to sign", "SB")]
    assert (sign_by["Status"], sign_by["Reasons"]) == ("Incomplete", "Number to call is missing")
    assert sign_by["Held by"] == "this computer"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_queue_xlsx_has_the_words_as_typed_cells(marked, lang: str) -> None:
    """The .xlsx: words as text, the notes' count a number, the snoozed-until day a date, the phone
    number text with its zero, and the formula-like note a text cell with Excel's quote prefix."""
    db, lists = marked
    data = queue_file(lists, db, lang, load_settings(), "xlsx", include_marked=True)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {
        (r[0].value, r[1].value): dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2)
    }
    ja = lang == "ja"
    ru = cells[("お断りの連絡" if ja else "Refusals to send", "RU")]
    status, holder, notes, latest = (
        ("ステータス", "担当", "メモ件数", "最新のメモ")
        if ja
        else ("Status", "Held by", "Notes", "Latest note")
    )
    assert ru[status].value == ("お断り（急ぎの依頼）" if ja else "Rejected: urgent")
    assert ru[holder].value == "山田花子"
    assert (ru[notes].value, ru[notes].data_type) == (2, "n")
    assert ru[latest].value.startswith(FORMULA)
    assert ru[latest].data_type == "s"
    assert ru[latest].quotePrefix  # never a formula, not even when the cell is edited
    assert (ru[header[3]].value, ru[header[3]].data_type) == ("0312345678", "s")
    qd = cells[("見積の送付期限" if ja else "Quotes due", "QD")]
    until = qd["保留期限" if ja else "Snoozed until"]
    assert until.value == datetime(2026, 11, 26)
    assert until.is_date
    assert header[-2:] == (
        ["ステータスコード", "理由コード"] if ja else ["Status code", "Reason codes"]
    )


def test_today_cli_files_carry_the_same_columns(marked, tmp_path: Path, capsys) -> None:
    """`today --csv --all`: the holder, the notes and the done and snoozed state, in words."""
    db, _ = marked
    # the CLI writes an audit row: a copy keeps the module's store as it was
    copy = copy_folder(db.parent, tmp_path / "copy") / db.name
    out = tmp_path / "q.csv"
    args = ["today", "--as-of", AS_OF.isoformat(), "--lang", "ja", "--all", "--csv", str(out)]
    assert main([*args, "--db", str(copy)]) == 0
    capsys.readouterr()
    by = {(r["リスト"], r["問い合わせID"]): r for r in _csv_rows(out.read_bytes())}
    assert by[("お断りの連絡", "RU")]["担当"] == "山田花子"
    assert by[("お断りの連絡", "RU")]["最新のメモ"].startswith("'=HYPERLINK")
    assert by[("お断りの連絡", "RU")]["ステータス"] == "お断り（急ぎの依頼）"
    assert by[("フォローアップ", "SB")]["対応済み・保留"] == "対応済み"
    assert by[("見積の送付期限", "QD")]["保留期限"] == "2026-11-26"


@pytest.mark.slow
def test_todays_download_buttons_carry_the_marks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Today page's CSV (in Japanese) reads the office's marks (it had none): the holder, the
    notes; with "show done and snoozed" on, the snoozed item too, and the audit counts its rows."""
    from views import common

    db = build_db(tmp_path, INQUIRIES, EVENTS, name="ops.duckdb")  # no accounts: this computer
    marks.claim(db, "RU", "os:someone")
    marks.note(db, "RU", FORMULA, "os:someone")
    marks.snooze(db, "QD", date(2026, 11, 26), "os:someone")
    made: dict[str, tuple] = {}
    audited = common.audited_download

    def keep(build, what: str, rows: int):
        made[what.rsplit(".", 1)[1]] = (build, rows)
        return audited(build, what, rows)

    monkeypatch.setattr(common, "audited_download", keep)
    at = dashboard(db, monkeypatch, as_of=AS_OF.isoformat(), lang="ja", page="views/today.py")
    at.toggle(key="show_done").set_value(True).run()
    assert not at.exception
    build, rows = made["csv"]
    found = _csv_rows(build())
    assert len(found) == rows
    by = {(r["リスト"], r["問い合わせID"]): r for r in found}
    ru = by[("お断りの連絡", "RU")]
    assert ru["ステータス"] == "お断り（急ぎの依頼）"
    assert (ru["担当"], ru["メモ件数"]) == ("この端末", "1")
    assert ru["最新のメモ"].startswith("'=HYPERLINK")
    assert by[("見積の送付期限", "QD")]["保留期限"] == "2026-11-26"
    sheet = openpyxl.load_workbook(io.BytesIO(made["xlsx"][0]())).worksheets[0]
    assert "この端末" in [c.value for c in sheet["M"]]  # 担当, the 13th column
