"""The dashboard through Streamlit's AppTest: every page, both languages, URL state, uploads, empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import pipelines
from pipelines.metrics import TILE_METRICS
from tests.conftest import INQUIRY_COLUMNS, csv_text, dashboard, inquiry
from tests.test_today_cards import show_everything

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-24"


def app(db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    return dashboard(db, monkeypatch, **{"as_of": AS_OF, **params})


@pytest.mark.slow
def test_language_switch_in_sidebar(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing 日本語 in the sidebar switches the page and the URL."""
    at = app(sample_db, monkeypatch)
    at.sidebar.selectbox(key="lang_select").set_value("ja").run()
    assert at.query_params["lang"] in ("ja", ["ja"])
    assert at.title[0].value == "経営の状況"


def _html(at: AppTest) -> str:
    """Every HTML block the page drew, as one text."""
    return "\n".join(element.proto.body for element in at.get("html"))


@pytest.mark.slow
def test_today_shows_the_six_lists_of_the_api(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Today page shows the API's six lists for the as-of day: counts, and every item's card
    (once its fold is opened and its "show more" tapped, docs/today-cards.md)."""
    at = app(sample_db, monkeypatch, as_of="2026-11-20", page="views/today.py")
    assert not at.exception
    con = pipelines.connect(sample_db)
    lists = pipelines.staff_lists(con, "2026-11-20")
    con.close()
    titles = [
        "Calls to make",
        "Check before calling",
        "Last day to sign",
        "Quotes due",
        "Follow up",
        "Upcoming calls",
        "Refusals to send",  # SPEC: the seventh list (issue 23)
    ]
    names = ["eligible", "attention", "sign_by", "quote_due", "follow_up", "upcoming", "refusals"]
    assert [s.value for s in at.subheader] == [
        f"{title} ({len(lists[name])})" for title, name in zip(titles, names, strict=True)
    ]
    show_everything(at)  # each list draws its first cards; the rest on "show more"
    html = _html(at)
    for name in names:
        for inquiry_id in lists[name]["inquiry_id"]:
            assert f"inquiry={inquiry_id}&" in html
    assert at.title[0].value.startswith("Work queue for 2026/11/20")
    assert "Send the quote" in html
    assert "tel:" in html


@pytest.mark.slow
def test_today_in_japanese_has_no_english_labels(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Japanese Today page words its lists and next steps in Japanese."""
    at = app(sample_db, monkeypatch, as_of="2026-11-20", lang="ja", page="views/today.py")
    assert not at.exception
    assert at.subheader[0].value.startswith("本日の架電")
    html = _html(at)
    assert "見積を送付してください" in html
    assert "Send the quote" not in html
    assert "Make the call" not in html


@pytest.mark.slow
def test_inquiries_search_defaults_to_open_work_and_finds_ids_any_way(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list starts with open work; a full-width ID or a phone without hyphens finds the inquiry."""
    at = app(sample_db, monkeypatch, page="views/inquiries.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["Status"]) <= {"Open", "Incomplete"}
    con = pipelines.connect(sample_db)
    phone = con.execute(
        "SELECT target_phone FROM inquiries WHERE inquiry_id = 'Q0004755'"
    ).fetchone()[0]
    con.close()
    at.multiselect(key="status_filter").set_value([]).run()
    for needle in ("Ｑ０００４７５５", phone.replace("-", "")):
        at.text_input(key="search").set_value(needle).run()
        assert list(at.dataframe[0].value["Inquiry"]) == ["Q0004755"], needle


@pytest.mark.slow
def test_inquiry_url_opens_one_inquiry_with_its_rules(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """?inquiry=ID opens the inquiry: its status, every rule as a fact, the deciding rule marked."""
    at = app(
        sample_db, monkeypatch, inquiry="Q0004755", as_of="2026-11-20", page="views/inquiries.py"
    )
    assert not at.exception
    assert at.subheader[0].value == "Q0004755 · Open"
    html = _html(at)
    assert "decided the status" in html
    assert html.count("<li") == 10  # one line per rule
    # the timeline: the inquiry and each event on its own line, with staff, amount and minutes
    assert html.count("class='tl-row'") == 3
    assert (
        "Quote sent</span><span>Staff: 鈴木</span><span>¥10,500</span>"
        "<span>27 min of staff time</span>" in html
    )


def test_data_page_lists_quarantine(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Data page shows the load history and the 5 quarantined sample rows."""
    at = app(sample_db, monkeypatch, page="views/data.py")
    assert not at.exception
    loads, quarantine = at.dataframe[0].value, at.dataframe[1].value
    assert len(loads) == 5
    assert len(quarantine) == 5


@pytest.mark.slow
def test_empty_database_first_run_and_sample_button(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty database shows the first-run screen; its button loads the bundled sample."""
    db = tmp_path / "empty.duckdb"
    at = app(db, monkeypatch)
    assert not at.exception
    assert at.header[0].value == "No data yet"
    at.button(key="load_sample").click().run()
    assert not at.exception
    assert len(at.metric) == len(TILE_METRICS)


@pytest.mark.slow
def test_upload_flow_loads_and_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploading an export loads it; a bad file is refused with its name and nothing changes."""
    db = tmp_path / "up.duckdb"
    at = app(db, monkeypatch, page="views/data.py")
    good = csv_text(INQUIRY_COLUMNS, [inquiry("U1"), inquiry("U2")]).encode()
    at.file_uploader(key="uploads").upload("new.csv", good, "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert any("new.csv: inquiry log" in m.value for m in at.text)
    con = pipelines.connect(db)
    assert con.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 2
    con.close()
    at.file_uploader(key="uploads").upload("bad.csv", b"hello,world\n1,2\n", "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert "bad.csv" in at.error[0].value
    con = pipelines.connect(db)
    assert con.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 2
    con.close()


def test_upload_in_japanese_names_the_problem_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused upload is explained in Japanese on the Japanese page; nothing is loaded."""
    db = tmp_path / "ja.duckdb"
    at = app(db, monkeypatch, lang="ja", page="views/data.py")
    at.file_uploader(key="uploads").upload("空.csv", b"", "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert "空.csv: ファイルが空です" in at.error[0].value
    assert not db.exists()


@pytest.mark.slow
def test_uploaded_names_and_cells_are_text_not_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name or cell with Markdown or HTML is shown as typed, never rendered as a link or image."""
    db = tmp_path / "md.duckdb"
    at = app(db, monkeypatch, page="views/data.py")
    name = "[請求書はこちら](evil.example)![x](evil.example).csv"
    rows = [inquiry("M1", customer_name="**bold** <img src=x>")]
    at.file_uploader(key="uploads").upload(
        name, csv_text(INQUIRY_COLUMNS, rows).encode(), "text/csv"
    )
    at.run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert any(name in element.value for element in at.text)
    assert all("evil.example" not in m.value for m in at.markdown)


@pytest.mark.slow
def test_an_upload_that_replaces_inquiries_says_so_and_runs_the_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-uploading inquiry IDs with other content warns how many were replaced and shows the audits."""
    from tests.conftest import EVENT_COLUMNS, event

    db = tmp_path / "rep.duckdb"
    at = app(db, monkeypatch, page="views/data.py")
    first = csv_text(INQUIRY_COLUMNS, [inquiry("R1", "2026-11-02 10:00"), inquiry("R2")])
    quotes = csv_text(EVENT_COLUMNS, [event("R1", "2026-11-03 10:00", "quote_sent")])
    for name, text in (("a.csv", first), ("q.csv", quotes)):
        at.file_uploader(key="uploads").upload(name, text.encode(), "text/csv").run()
        at.button(key="load_uploads").click().run()
    later = csv_text(INQUIRY_COLUMNS, [inquiry("R1", "2026-11-20 10:00", customer_name="別人")])
    at.file_uploader(key="uploads").upload("b.csv", later.encode(), "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("Replaced by this upload: 1 of the 2 inquiries" in w for w in warnings)
    assert any("dated before their inquiry" in w for w in warnings)


@pytest.mark.slow
def test_mailbox_upload_shows_the_review_sheet_and_loads_the_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mailbox upload becomes a review sheet and two logs that one click loads."""
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "山田 太郎 <taro@example.jp>"
    mail["To"] = "info@office.example"
    mail["Subject"] = "退職代行のご相談"
    mail["Date"] = "Mon, 02 Nov 2026 10:00:00 +0900"
    mail["Message-ID"] = "<m1@example.jp>"
    mail.set_content(
        "お名前：山田太郎\n住所：東京都新宿区1-1\n架電先：03-1234-5678\n見積もりをお願いします。"
    )
    db = tmp_path / "mail.duckdb"
    # SPEC "Live mailbox and morning mail": without office addresses the mailbox import refuses
    settings = tmp_path / "office.toml"
    settings.write_text('[mailbox]\noffice_addresses = ["info@office.example"]\n', encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    at = app(db, monkeypatch, page="views/data.py")
    at.file_uploader(key="mailbox").upload("inquiry.eml", bytes(mail), "message/rfc822").run()
    assert not at.exception
    review = at.dataframe[0].value
    assert len(review) == 1
    at.button(key="load_mail_logs").click().run()
    assert not at.exception
    con = pipelines.connect(db)
    assert con.execute("SELECT customer_name FROM inquiries").fetchall() == [("山田太郎",)]
    con.close()


def _office_mail() -> tuple[bytes, bytes]:
    from email.message import EmailMessage

    ask = EmailMessage()
    ask["From"] = "山田 太郎 <taro@example.jp>"
    ask["To"] = "info@office.example"
    ask["Subject"] = "退職代行のご相談"
    ask["Date"] = "Mon, 02 Nov 2026 10:00:00 +0900"
    ask["Message-ID"] = "<m1@example.jp>"
    ask.set_content("お名前：山田太郎\n見積もりをお願いします。")
    quote = EmailMessage()
    quote["From"] = "受付 <info@office.example>"
    quote["To"] = "taro@example.jp"
    quote["Subject"] = "Re: 退職代行のご相談"
    quote["Date"] = "Mon, 02 Nov 2026 15:00:00 +0900"
    quote["Message-ID"] = "<m2@office.example>"
    quote["In-Reply-To"] = "<m1@example.jp>"
    quote.set_content("お見積り金額：12,000円")
    return bytes(ask), bytes(quote)


def test_mailbox_upload_refuses_without_office_addresses_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No office address set: the upload says so in the page's language and offers no load."""
    settings = tmp_path / "none.toml"
    settings.write_text("[mailbox]\noffice_addresses = []\n", encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    db = tmp_path / "mail.duckdb"
    at = app(db, monkeypatch, lang="ja", page="views/data.py")
    ask, _ = _office_mail()
    at.file_uploader(key="mailbox").upload("a.eml", ask, "message/rfc822").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "事務所のメールアドレスが設定されていません" in errors
    assert "事務所のメールアドレス」で" in errors
    assert not [b for b in at.button if b.key == "load_mail_logs"]
    assert not db.exists()


def test_mailbox_upload_says_what_it_found_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts and event kinds in words, in Japanese, while the database is still untouched."""
    settings = tmp_path / "office.toml"
    settings.write_text('[mailbox]\noffice_addresses = ["@office.example"]\n', encoding="utf-8")
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    db = tmp_path / "mail.duckdb"
    at = app(db, monkeypatch, lang="ja", page="views/data.py")
    ask, quote = _office_mail()
    uploader = at.file_uploader(key="mailbox")
    uploader.upload("a.eml", ask, "message/rfc822")
    uploader.upload("b.eml", quote, "message/rfc822").run()
    assert not at.exception
    found = " ".join(i.value for i in at.info)
    assert "問い合わせ 1 件、イベント 1 件、使用しないメール 0 件" in found
    assert "見積送信 1 件" in " ".join(c.value for c in at.caption)
    assert not db.exists()


def test_safe_csv_neutralises_formulas() -> None:
    """Downloaded CSV starts with a BOM, quotes every cell and neutralises formula starts per line."""
    import csv
    import io

    import pandas as pd

    from pipelines.export import safe_csv

    values = ["=1+1", "+81", "-x", "@cmd", "\tx", "ok", "山田", "abc\r=1+1", "a\n@b"]
    data = safe_csv(pd.DataFrame({"a": values}))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.startswith('"a"\r\n"\'=1+1"')
    cells = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert cells == ["'=1+1", "'+81", "'-x", "'@cmd", "'\tx", "ok", "山田", "abc\n'=1+1", "a\n'@b"]


@pytest.mark.slow
def test_back_to_the_list_keeps_the_search(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening an inquiry from a search and going back shows the same search and filters."""
    at = app(sample_db, monkeypatch, page="views/inquiries.py")
    at.text_input(key="search").set_value("田中").run()
    at.multiselect(key="status_filter").set_value(["silent"]).run()
    found = list(at.dataframe[0].value["Inquiry"])
    assert found
    at.query_params["inquiry"] = found[0]
    at.run()
    assert at.subheader[0].value.startswith(found[0])
    at.button(key="back").click().run()
    assert not at.exception
    assert at.text_input(key="search").value == "田中"
    assert at.multiselect(key="status_filter").value == ["silent"]
    assert list(at.dataframe[0].value["Inquiry"]) == found
    assert not at.warning  # no "default value and Session State" warning from Streamlit


@pytest.mark.slow
def test_inquiry_url_forgives_full_width_and_lower_case(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """?inquiry=ｑ０００４７５５ opens Q0004755, as the search box would find it."""
    at = app(
        sample_db,
        monkeypatch,
        inquiry="ｑ０００４７５５",
        as_of="2026-11-20",
        page="views/inquiries.py",
    )
    assert not at.exception
    assert at.subheader[0].value == "Q0004755 · Open"


@pytest.mark.slow
def test_an_inquiry_says_what_today_says_to_do_with_it(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An inquiry on today's lists shows each list and its next step, as on the Today page."""
    con = pipelines.connect(sample_db)
    on_lists = pipelines.api.lists_of(con, "Q0004912", "2026-11-20")
    con.close()
    assert sorted(on_lists["list"]) == ["follow_up", "sign_by"]
    at = app(
        sample_db,
        monkeypatch,
        inquiry="Q0004912",
        as_of="2026-11-20",
        lang="ja",
        page="views/inquiries.py",
    )
    assert not at.exception
    notes = [info.value for info in at.info]
    assert any(n.startswith("**契約期限** — ") for n in notes), notes
    assert any(n.startswith("**フォローアップ** — ") for n in notes), notes
    at = app(
        sample_db, monkeypatch, inquiry="Q0000001", as_of="2026-11-20", page="views/inquiries.py"
    )
    assert not at.exception
    assert not at.info  # silent since long ago: on no list today


def test_data_page_shows_the_last_sync_and_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live mailbox section: the last sync's time and outcome, the next, in Japanese."""
    from pipelines.sync import record_status

    db = tmp_path / "mail.duckdb"
    record_status(db, "ok", "done", every="5m", next_at="2026-11-24T09:05:00")
    record_status(db, "failed", "接続に失敗しました", every="5m", next_at="2026-11-24T09:10:00")
    at = app(db, monkeypatch, lang="ja", page="views/data.py")
    assert not at.exception
    assert any("前回の同期" in e.value and "失敗" in e.value for e in at.error)
    captions = " ".join(c.value for c in at.caption)
    assert "最後に完了した同期" in captions
    assert "5m ごと" in captions


def test_owner_sets_office_addresses_on_the_data_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked (an address, @domain or name@), saved into the settings file keeping its text, audited."""
    from pipelines.office import audit

    settings = tmp_path / "office.toml"
    settings.write_text(
        '# our office\nlanguage = "ja"\n\n[mailbox]\n# who we are\nmail_read_minutes = 4\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
    db = tmp_path / "mail.duckdb"
    at = app(db, monkeypatch, lang="ja", page="views/data.py")
    at.text_area(key="office_addresses").input("info@office.example\nnot an address").run()
    at.button(key="save_office_addresses").click().run()
    assert any("not an address" in e.value for e in at.error)
    assert "office_addresses" not in settings.read_text(encoding="utf-8")
    at.text_area(key="office_addresses").input("Info@Office.example\n@branch.example.jp").run()
    at.button(key="save_office_addresses").click().run()
    assert not at.exception
    assert any("2 件" in s.value for s in at.success)
    text = settings.read_text(encoding="utf-8")
    assert "# our office" in text
    assert "# who we are" in text
    assert "mail_read_minutes = 4" in text
    assert 'office_addresses = ["info@office.example", "@branch.example.jp"]' in text
    [row] = audit.rows(db, kind="settings_change")
    assert row.detail == {"what": "office_addresses", "count": 2}
