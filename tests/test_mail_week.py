"""A new office's week from the mailbox alone: an empty database, a real IMAP server (pymap) that the
office's mail reaches day by day, one `sync` at the end of each day, and each day's Today lists, report
and digest checked against what a person reading the same mail would expect.

The week is Mon 2026-11-16 … Sun 11-22; Mon 11-23 is a public holiday (勤労感謝の日), so Friday's next
business day is Tue 11-24. The mail: inquiries in Japanese and English, a contact form in ISO-2022-JP
with the customer in Reply-To, quotes sent from the office address, a formal request and the contract,
an urgent request, an inquiry without an address or number to call, a decline, a customer reply, and
the office's own newsletter, and the office's autoresponder answering every inquiry within a minute
(it is no staff work and does not count as the office answering: Refusals to send still lists the
urgent request).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from mailservers import JST, PASSWORD, mail, pymap_server, raw, seed

import pipelines
from pipelines.__main__ import main
from pipelines.digest import collect, digest_html
from pipelines.mailbox import inquiry_id_for
from pipelines.vocabulary import STAFF_LIST_REPORT_KEYS

OFFICE = "受付 <info@office.example.jp>"
AUTO_SUBJECT = "【自動返信】お問い合わせありがとうございます"
AUTO_TEXT = "お問い合わせありがとうございます。担当者より2営業日以内にお見積りをお送りします。"
DAYS = [date(2026, 11, 16) + timedelta(days=n) for n in range(7)]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """16 … 22 November 2026, Japan time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=JST)


def _week() -> tuple[dict[date, list[tuple[str, bytes]]], dict[str, str]]:
    """({day: [(folder, message)]}, {customer key: inquiry_id})."""
    by_day: dict[date, list[tuple[str, bytes]]] = {d: [] for d in DAYS}
    ids: dict[str, str] = {}
    autos: dict[str, EmailMessage] = {}

    def add(folder: str, msg: EmailMessage, key: str | None = None) -> EmailMessage:
        by_day[msg_day(msg)].append((folder, raw(msg)))
        if key:  # an inquiry: the office's autoresponder answers it within a minute
            ids[key] = inquiry_id_for(msg["Message-ID"])
            when = parsedate_to_datetime(msg["Date"]) + timedelta(minutes=1)
            auto = mail(OFFICE, msg["Reply-To"] or msg["From"], AUTO_SUBJECT, AUTO_TEXT, when, msg)
            auto["Auto-Submitted"] = "auto-replied"
            by_day[msg_day(auto)].append(("Sent", raw(auto)))
            autos[key] = auto
        return msg

    def msg_day(msg: EmailMessage) -> date:
        return parsedate_to_datetime(msg["Date"]).astimezone(JST).date()

    add(
        "Sent",
        mail(
            OFFICE,
            "list@office.example.jp",
            "事務所だより 11月号",
            "今月のお知らせです。",
            at(16, 8),
        ),
    )
    # N: quoted on Monday, never answers (Follow up from Thursday)
    n = add(
        "INBOX",
        mail(
            "中村 健 <nakamura@example.jp>",
            "info@office.example.jp",
            "退職代行のご相談",
            "お名前：中村 健\nご住所：大阪府大阪市北区1-1-1\n架電先：06-1234-5678\n"
            "希望日：2026年12月10日\n会社への退職の連絡をお願いできますか。",
            at(16, 9),
        ),
        "N",
    )
    add(
        "Sent",
        mail(
            OFFICE,
            "nakamura@example.jp",
            "Re: 退職代行のご相談",
            "中村様\n\nお見積り金額：20,000円\nご検討ください。",
            at(16, 11),
            reply_to=n,
        ),
    )
    # Y: quoted, asks formally, contracted on Tuesday for the 27th; a thank-you on Saturday
    y = add(
        "INBOX",
        mail(
            "山田 太郎 <yamada@example.jp>",
            "info@office.example.jp",
            "欠勤連絡の代行",
            "お名前：山田 太郎\nご住所：東京都新宿区西新宿2-8-1\n架電先：03-1111-2222\n"
            "希望日：2026年11月27日\nアルバイト先に欠勤の連絡をお願いしたいです。",
            at(16, 10),
        ),
        "Y",
    )
    yq = add(
        "Sent",
        mail(
            OFFICE,
            "yamada@example.jp",
            "Re: 欠勤連絡の代行",
            "山田様\n\nお見積り金額：15,000円\n",
            at(16, 15),
            reply_to=y,
        ),
    )
    # S: in English, quoted on Tuesday, answers on Wednesday (no follow-up needed)
    s = add(
        "INBOX",
        mail(
            "John Smith <john.smith@example.com>",
            "info@office.example.jp",
            "Calling my landlord",
            "Hello,\n\nName: John Smith\nAddress: 2-3-4 Minato, Tokyo\nNumber to call: 03-5555-6666\n"
            "Preferred date: 2026-12-04\n\nCould you call my landlord to end my lease?",
            at(16, 13),
        ),
        "S",
    )
    add(
        "INBOX",
        mail(
            "佐藤 花子 <sato@example.jp>",
            "info@office.example.jp",
            "至急お願いします",
            "お名前：佐藤 花子\nご住所：東京都港区1-2-3\n架電先：03-2222-3333\n"
            "明日の朝、会社に欠勤の電話をお願いします。",
            at(17, 8, 30),
        ),
        "SA",
    )
    yr = add(
        "INBOX",
        mail(
            "山田 太郎 <yamada@example.jp>",
            "info@office.example.jp",
            "Re: 欠勤連絡の代行",
            "正式に依頼します。よろしくお願いします。",
            at(17, 9),
            reply_to=yq,
        ),
    )
    sq = add(
        "Sent",
        mail(
            OFFICE,
            "john.smith@example.com",
            "Re: Calling my landlord",
            "Dear Mr Smith,\n\nOur quote: ¥18,000 (tax included).\n",
            at(17, 10),
            reply_to=s,
        ),
    )
    yc = add(
        "Sent",
        mail(
            OFFICE,
            "yamada@example.jp",
            "Re: 欠勤連絡の代行",
            "ご契約ありがとうございます。11月27日にお電話いたします。",
            at(17, 11),
            reply_to=yr,
        ),
    )
    add(
        "INBOX",
        mail(
            "John Smith <john.smith@example.com>",
            "info@office.example.jp",
            "Re: Calling my landlord",
            "Thank you. I will think it over and write again.",
            at(18, 9),
            reply_to=sq,
        ),
    )
    # SU: no address, no number to call; never quoted (Quotes due from Friday, overdue from Saturday)
    add(
        "INBOX",
        mail(
            "鈴木 一郎 <suzuki@example.jp>",
            "info@office.example.jp",
            "料金について",
            "来月15日に、バイト先へ退職の連絡を代行してほしいです。料金を教えてください。",
            at(18, 14),
        ),
        "SU",
    )
    # SU answers the autoresponder (its In-Reply-To names only the automatic reply): a reply to SU
    add(
        "INBOX",
        mail(
            "鈴木 一郎 <suzuki@example.jp>",
            "info@office.example.jp",
            f"Re: {AUTO_SUBJECT}",
            "補足です。希望日は来月15日で変わりません。よろしくお願いします。",
            at(19, 9),
            reply_to=autos["SU"],
        ),
    )
    t = add(
        "INBOX",
        mail(
            "高橋 誠 <takahashi@example.jp>",
            "info@office.example.jp",
            "退職の連絡",
            "お名前：高橋 誠\nご住所：福岡県福岡市中央区3-3-3\n架電先：092-123-4567\n"
            "希望日：2026年12月1日\n退職の連絡をお願いします。",
            at(19, 10),
        ),
        "T",
    )
    # I: a contact form (ISO-2022-JP, the customer in Reply-To) for Tue 24: sign by Sat 21
    form = mail(
        "お問い合わせフォーム <form@office-web.example.jp>",
        "info@office.example.jp",
        "【お問い合わせ】電話代行のご依頼",
        "お名前：伊藤 美咲\nご住所：京都府京都市下京区4-4-4\n架電先：075-987-6543\n"
        "希望日：2026年11月24日\n内容：内定辞退の連絡をお願いします。",
        at(19, 11),
        charset="iso-2022-jp",
    )
    form["Reply-To"] = "伊藤 美咲 <ito@example.jp>"
    add("INBOX", form, "I")
    tq = add(
        "Sent",
        mail(
            OFFICE,
            "takahashi@example.jp",
            "Re: 退職の連絡",
            "お見積り金額：12,000円",
            at(19, 16),
            reply_to=t,
        ),
    )
    add(
        "INBOX",
        mail(
            "高橋 誠 <takahashi@example.jp>",
            "info@office.example.jp",
            "Re: 退職の連絡",
            "検討しましたが、今回は見送ります。",
            at(20, 9),
            reply_to=tq,
        ),
    )
    add(
        "INBOX",
        mail(
            "山田 太郎 <yamada@example.jp>",
            "info@office.example.jp",
            "Re: 欠勤連絡の代行",
            "当日はよろしくお願いします。",
            at(21, 10),
            reply_to=yc,
        ),
    )
    return by_day, ids


# each day: the status of every inquiry received so far, and who is on which Today list
STATUS = {
    "N": ["open"] * 7,
    "Y": ["open"] + ["contracted"] * 6,
    "S": ["open"] * 7,
    "SA": [None] + ["rejected_urgent"] * 6,
    "SU": [None, None] + ["incomplete"] * 5,
    "T": [None, None, None, "open"] + ["declined_by_customer"] * 3,
    "I": [None, None, None, "open", "open", "open", "expired"],
}
LISTS = {  # list -> who is on it, Mon … Sun
    "eligible": [set()] * 7,
    "attention": [set()] * 7,
    "sign_by": [set(), set(), set(), set(), {"I"}, {"I"}, set()],
    "quote_due": [set(), set(), set(), set(), {"SU"}, {"SU"}, {"SU"}],
    "follow_up": [set(), set(), set(), {"N"}, {"N"}, {"N"}, {"N"}],
    "upcoming": [set()] + [{"Y"}] * 6,
    "refusals": [set(), {"SA"}, {"SA"}, set(), set(), set(), set()],
}
# the digest's lists: the next business day's, with the mail known at the end of day A
NEXT_DAY_LISTS = [
    {},
    {"upcoming": {"Y"}, "refusals": {"SA"}},
    {"upcoming": {"Y"}, "follow_up": {"N"}},
    {"upcoming": {"Y"}, "follow_up": {"N"}, "quote_due": {"SU"}, "sign_by": {"I"}},
    {"upcoming": {"Y"}, "quote_due": {"SU"}},  # Tue 24: N silent by then, I expired
    {"upcoming": {"Y"}, "quote_due": {"SU"}},
    {"upcoming": {"Y"}, "quote_due": {"SU"}},
]
QUOTED = {"N": 0, "Y": 0, "S": 1, "T": 3}  # the day index of each first quote


@pytest.mark.slow
def test_a_new_office_runs_its_week_from_the_mailbox_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    by_day, ids = _week()
    name = {v: k for k, v in ids.items()}
    db = tmp_path / "ops.duckdb"
    with pymap_server() as port:
        settings = tmp_path / "office.toml"
        settings.write_text(
            '[mailbox]\noffice_addresses = ["info@office.example.jp"]\n\n'
            f'[imap]\nhost = "127.0.0.1"\nport = {port}\nuser = "office"\ntls = false\n',
            encoding="utf-8",
        )
        monkeypatch.setenv("OPSDASH_SETTINGS", str(settings))
        monkeypatch.setenv("OPSDASH_IMAP_PASSWORD", PASSWORD)
        seed(port, "INBOX", [])
        seed(port, "Sent", [])
        for index, day in enumerate(DAYS):
            for folder in ("INBOX", "Sent"):
                seed(port, folder, [m for f, m in by_day[day] if f == folder])
            capsys.readouterr()
            assert main(["sync", "--db", str(db)]) == 0, day
            out = capsys.readouterr().out
            if not by_day[day]:
                assert "新しいメールはありません" in out, (day, out)
            _check_day(db, index, day, name, capsys)
            if day == date(2026, 11, 20):
                _check_pages(db, day, monkeypatch)
    # after the week: every message once, the newsletter the only one not used
    con = pipelines.connect(db)
    try:
        kept = con.execute("SELECT count(*) FROM mail_messages").fetchone()[0]
        assert kept == 18 + 7  # and the 7 automatic replies
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 10
        review = con.execute("SELECT subject FROM mail_review WHERE became = 'not used'").fetchall()
        assert sorted(review) == [(AUTO_SUBJECT,)] * 7 + [("事務所だより 11月号",)]
        su = con.execute("SELECT event FROM events WHERE inquiry_id = ?", [ids["SU"]]).fetchall()
        assert su == [("customer_reply",)]  # the answer to the autoresponder joined SU's inquiry
        minutes = con.execute("SELECT sum(staff_minutes) FROM events").fetchone()[0]
        assert minutes == 4 * 20 + 10  # four quotes and the contract mail; automatic replies none
        people = dict(
            con.execute(
                "SELECT inquiry_id, customer_name || ' / ' || customer_email FROM inquiries"
            ).fetchall()
        )
        assert people[ids["I"]] == "伊藤 美咲 / ito@example.jp"  # the form's Reply-To
        assert people[ids["S"]] == "John Smith / john.smith@example.com"
        html = digest_html(con, DAYS[-1], "ja")
    finally:
        con.close()
    assert "山田 太郎" in html  # Tuesday's upcoming call, in the Sunday digest's lists


def _check_pages(db: Path, day: date, monkeypatch: pytest.MonkeyPatch) -> None:
    """Friday on the dashboard: Today's lists as counted above, the Data page's last sync and review."""
    from tests.conftest import dashboard

    at = dashboard(db, monkeypatch, as_of=f"{day}", lang="en")
    at.switch_page("views/today.py").run()
    assert not at.exception
    titles = [s.value for s in at.subheader]
    for title in (
        "Calls to make (0)",
        "Last day to sign (1)",
        "Quotes due (1)",
        "Follow up (1)",
        "Upcoming calls (1)",
        "Refusals to send (0)",
    ):
        assert title in titles, (title, titles)
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert any(s.value.startswith("Last sync:") and "completed" in s.value for s in at.success)
    assert "Messages of the mailbox not used (8): check them" in [c.value for c in at.caption]


def _check_day(db: Path, index: int, day: date, name: dict[str, str], capsys) -> None:
    """Today's lists, the statuses and the report of day, and the digest's numbers."""
    con = pipelines.connect(db)
    try:
        facts = pipelines.inquiry_facts(con, as_of=day)
        statuses = {name[i]: s for i, s in zip(facts["inquiry_id"], facts["status"], strict=True)}
        expected = {k: v[index] for k, v in STATUS.items() if v[index] is not None}
        assert statuses == expected, day
        lists = pipelines.staff_lists(con, day)
        on = {k: {name[i] for i in frame["inquiry_id"]} for k, frame in lists.items()}
        assert on == {k: v[index] for k, v in LISTS.items()}, day
        digest = collect(con, day, "ja")
    finally:
        con.close()
    capsys.readouterr()
    assert main(["report", "--json", "--as-of", f"{day}", "--db", str(db)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["inquiries"] == len(expected)
    assert report["quoted"] == sum(1 for d in QUOTED.values() if d <= index)
    assert report["converted"] == (1 if index >= 1 else 0)
    assert report["contracted_amount_jpy"] == (15000 if index >= 1 else 0)
    assert report["urgent_requests"] == (1 if index >= 1 else 0)
    assert report["quote_overdue"] == (1 if index >= 5 else 0)
    for key, who in LISTS.items():
        assert report[STAFF_LIST_REPORT_KEYS[key]] == len(who[index]), key
    # the digest: its numbers are report --from A-6 --to A; its lists are the next business day's
    capsys.readouterr()
    start = day - timedelta(days=6)
    assert (
        main(
            [
                "report",
                "--json",
                "--as-of",
                f"{day}",
                "--from",
                f"{start}",
                "--to",
                f"{day}",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    week = json.loads(capsys.readouterr().out)
    for key in ("inquiries", "quoted", "converted", "conversion_rate", "urgent_requests"):
        assert digest.report[key] == week[key], key
    shown = {k: {name[i.inquiry_id] for i in items} for k, items in digest.lists.items()}
    assert shown == {k: NEXT_DAY_LISTS[index].get(k, set()) for k in LISTS}, day
    assert digest.next_day == {
        4: date(2026, 11, 24),
        5: date(2026, 11, 24),
        6: date(2026, 11, 24),
    }.get(index, day + timedelta(days=1))
