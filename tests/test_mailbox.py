"""Mailbox import (SPEC "Mailbox import"): mailboxes generated here with the email library.

Every mailbox is built in tmp_path with fixed dates; nothing touches the network. The last test is a
small office's two months of mail, end to end: mailbox → logs → load → report, with the numbers a
person reading the mails would count worked out in its comments.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import mailbox
import quopri
import tempfile
import tomllib
from datetime import date, datetime, timedelta, timezone
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import pipelines
from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES, HeaderError, recognise_header
from pipelines.mailbox import (
    MailboxError,
    MailboxSettings,
    convert_mailbox,
    inquiry_id_for,
    load_mailbox_settings,
    mailbox_settings_from_table,
    run_cli,
    thread_subject,
)
from pipelines.settings import SettingsError

JST = timezone(timedelta(hours=9))
OFFICE = "info@daiko-office.example.jp"
SETTINGS = MailboxSettings(office_addresses=("@daiko-office.example.jp",))
EXAMPLE_SETTINGS = Path(pipelines.__file__).with_name("mailbox_settings.example.toml")
INQUIRY_HEADER = list(INQUIRY_ALIASES)  # the canonical columns, in order
EVENT_HEADER = list(EVENT_ALIASES)


# ------------------------------------------------------------------------------------------ helpers


def at(text: str, tz: timezone = JST) -> datetime:
    """'2026-10-01 10:00' in Japan time, expressed in time zone tz (the same instant)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=JST).astimezone(tz)


def _header(value: str, charset: str) -> str:
    return value if value.isascii() else Header(value, charset).encode()


def _address(name: str, address: str, charset: str) -> str:
    return formataddr((name, address), charset=charset) if name else address


def raw_mail(
    *,
    sender: tuple[str, str],
    to: tuple[str, str] = ("", OFFICE),
    subject: str = "見積もりのお願い",
    body: str = "見積もりをお願いします。",
    when: datetime | None = None,
    date_header: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    charset: str = "utf-8",
    header_charset: str = "utf-8",
    cte: str = "base64",
    subtype: str = "plain",
    extra: tuple[tuple[str, str], ...] = (),
    body_bytes: bytes | None = None,
) -> bytes:
    """One single-part message as a mailer writes it: headers RFC 2047-encoded, CRLF line ends."""
    when = when or at("2026-11-02 10:00")
    lines = [
        ("From", _address(*sender, header_charset)),
        ("To", _address(*to, header_charset)),
        ("Subject", _header(subject, header_charset)),
        ("Date", date_header or format_datetime(when)),
    ]
    if message_id:
        lines.append(("Message-ID", message_id))
    if in_reply_to:
        lines.append(("In-Reply-To", in_reply_to))
    if references:
        lines.append(("References", references))
    lines += [
        ("MIME-Version", "1.0"),
        ("Content-Type", f"text/{subtype}; charset={charset}" if charset else f"text/{subtype}"),
        ("Content-Transfer-Encoding", cte),
        *extra,
    ]
    data = body_bytes if body_bytes is not None else body.replace("\n", "\r\n").encode(charset)
    if cte == "base64":
        data = base64.encodebytes(data).replace(b"\n", b"\r\n")
    elif cte == "quoted-printable":
        data = quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    head = "".join(f"{k}: {v}\r\n" for k, v in lines).encode("ascii")
    return head + b"\r\n" + data


def write_mbox(path: Path, messages: list[bytes | EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path


def write_eml_folder(path: Path, messages: list[bytes | EmailMessage]) -> Path:
    path.mkdir()
    for index, message in enumerate(messages):
        data = message if isinstance(message, bytes) else message.as_bytes()
        (path / f"{index:03d}.eml").write_bytes(data)
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def convert(tmp_path: Path, messages: list, settings: MailboxSettings = SETTINGS, name="box"):
    """Write messages to an mbox and convert it: (result, inquiries, events, review rows)."""
    box = write_mbox(tmp_path / f"{name}.mbox", messages)
    result = convert_mailbox([box], tmp_path / f"{name}-out", settings)
    return (
        result,
        read_rows(result.inquiries_path),
        read_rows(result.quotes_path),
        read_rows(result.review_path),
    )


CUSTOMER = ("山田 太郎", "taro@example.jp")
STAFF = ("電話代行オフィス 佐藤", "sato@daiko-office.example.jp")


def exchange(*later: tuple[str, str, str], first: str = "見積もりをお願いします。") -> list[bytes]:
    """An inquiry from CUSTOMER and later messages ('office'|'customer', 'YYYY-MM-DD HH:MM', body),
    each replying to the one before with In-Reply-To and References."""
    messages = [raw_mail(sender=CUSTOMER, body=first, message_id="<m0@example.jp>")]
    refs = ["<m0@example.jp>"]
    for index, (who, when, body) in enumerate(later, start=1):
        mid = f"<m{index}@{'daiko-office.example.jp' if who == 'office' else 'example.jp'}>"
        messages.append(
            raw_mail(
                sender=STAFF if who == "office" else CUSTOMER,
                to=CUSTOMER if who == "office" else ("", OFFICE),
                subject="Re: 見積もりのお願い",
                body=body,
                when=at(when),
                message_id=mid,
                in_reply_to=refs[-1],
                references=" ".join(refs),
            )
        )
        refs.append(mid)
    return messages


# ----------------------------------------------------------------------------------------- settings


def test_default_settings_are_the_specs():
    s = MailboxSettings()
    assert s.office_addresses == ()
    assert (s.mail_read_minutes, s.mail_reply_minutes, s.mail_quote_minutes) == (5, 10, 20)
    for phrase in ("ご契約ありがとうございます", "正式契約", "契約が成立"):
        assert phrase in s.contract_phrases
    for phrase in ("今回は見送", "他社に依頼", "依頼しません"):
        assert phrase in s.decline_phrases
    for phrase in ("正式に依頼", "お願いすることにしました", "契約します"):
        assert phrase in s.request_phrases
    assert "キャンセル" in s.cancel_phrases


def test_example_settings_file_shows_the_defaults():
    assert load_mailbox_settings(EXAMPLE_SETTINGS) == MailboxSettings()
    assert load_mailbox_settings(None) == MailboxSettings()


def test_settings_from_a_file(tmp_path: Path):
    path = tmp_path / "s.toml"
    path.write_text(
        'min_lead_days = 3\n[mailbox]\noffice_addresses = ["Info@Office.example.jp", "@staff.example.jp"]\n'
        'mail_quote_minutes = 30\ncontract_phrases = ["契約確定"]\nskip_automatic = false\n',
        encoding="utf-8",
    )
    s = load_mailbox_settings(path)
    assert s.office_addresses == ("info@office.example.jp", "@staff.example.jp")
    assert s.mail_quote_minutes == 30
    assert s.contract_phrases == ("契約確定",)
    assert s.skip_automatic is False
    assert s.decline_phrases == MailboxSettings().decline_phrases  # the rest keep their defaults


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"office_adresses": []}, ["office_adresses", "unknown"]),
        ({"mail_read_minutes": -1}, ["mail_read_minutes", "≥ 0"]),
        ({"mail_reply_minutes": "10"}, ["mail_reply_minutes", "whole number"]),
        ({"mail_quote_minutes": True}, ["mail_quote_minutes"]),
        ({"contract_phrases": "ご契約"}, ["contract_phrases", "list"]),
        ({"decline_phrases": ["", "x"]}, ["decline_phrases", "non-empty"]),
        ({"office_addresses": ["not an address"]}, ["office_addresses", "not an address"]),
        ({"skip_automatic": "yes"}, ["skip_automatic", "true or false"]),
    ],
)
def test_bad_settings_name_source_key_and_problem(table: dict, words: list[str]):
    with pytest.raises(ValueError, match=r"my\.toml") as caught:
        mailbox_settings_from_table(table, "my.toml")
    for word in words:
        assert word in str(caught.value)


def test_settings_file_problems(tmp_path: Path):
    with pytest.raises(SettingsError, match="not found"):
        load_mailbox_settings(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[mailbox\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_mailbox_settings(bad)
    not_table = tmp_path / "nt.toml"
    not_table.write_text('mailbox = "x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\[mailbox\] must be a table"):
        load_mailbox_settings(not_table)


# ------------------------------------------------------------------------------------------ decoding


@pytest.mark.parametrize(
    ("charset", "cte"),
    [
        ("utf-8", "base64"),
        ("utf-8", "quoted-printable"),
        ("utf-8", "8bit"),
        ("iso-2022-jp", "7bit"),
        ("iso-2022-jp", "base64"),
        ("shift_jis", "8bit"),
        ("shift_jis", "base64"),
        ("shift_jis", "quoted-printable"),
        ("euc-jp", "8bit"),
    ],
)
def test_encodings_and_rfc2047_headers(tmp_path: Path, charset: str, cte: str):
    body = (
        "お名前：佐藤 花子\nご住所：東京都港区芝公園４丁目２番８号\n内定辞退の連絡をお願いします。"
    )
    message = raw_mail(
        sender=("佐藤 花子", "hanako@example.jp"),
        subject="【見積依頼】内定辞退の連絡",
        body=body,
        charset=charset,
        header_charset="iso-2022-jp" if charset == "euc-jp" else charset,
        cte=cte,
        message_id="<enc@example.jp>",
    )
    _, inquiries, _, review = convert(tmp_path, [message])
    [row] = inquiries
    assert row["customer_name"] == "佐藤 花子"
    assert row["customer_address"] == "東京都港区芝公園４丁目２番８号"
    assert row["message"] == body
    assert review[0]["subject"] == "【見積依頼】内定辞退の連絡"
    assert review[0]["from"] == "佐藤 花子 <hanako@example.jp>"


def test_display_name_when_no_labelled_name(tmp_path: Path):
    for charset in ("iso-2022-jp", "shift_jis", "utf-8"):
        message = raw_mail(
            sender=("小林 誠", "makoto@example.jp"),
            header_charset=charset,
            message_id=f"<{charset}@example.jp>",
        )
        _, inquiries, _, _ = convert(tmp_path, [message], name=charset)
        assert inquiries[0]["customer_name"] == "小林 誠"
        assert inquiries[0]["customer_email"] == "makoto@example.jp"


def test_iso_2022_jp_with_microsoft_characters(tmp_path: Path):
    # Outlook writes ①, ㈱ and the like inside ISO-2022-JP (CP50220); they are read, not refused.
    body = "①退職の連絡\n②有給休暇の相談\n㈱サンプル商事 宛"
    data = body.replace("\n", "\r\n").encode("cp932")
    jis = _sjis_to_jis(data)
    message = raw_mail(
        sender=CUSTOMER, charset="iso-2022-jp", cte="7bit", body_bytes=jis, message_id="<ms@x.jp>"
    )
    _, inquiries, _, _ = convert(tmp_path, [message])
    assert inquiries[0]["message"] == body


def _sjis_to_jis(data: bytes) -> bytes:
    """CP932 bytes as ISO-2022-JP (JIS X 0208 rows incl. NEC row 13), for the test above."""
    out = bytearray()
    i, kanji = 0, False
    while i < len(data):
        b = data[i]
        if b < 0x80:
            if kanji:
                out += b"\x1b(B"
                kanji = False
            out.append(b)
            i += 1
            continue
        if not kanji:
            out += b"\x1b$B"
            kanji = True
        s1, s2 = b, data[i + 1]
        j1 = (s1 - (0x70 if s1 <= 0x9F else 0xB0)) * 2
        if s2 >= 0x9F:
            j2 = s2 - 0x7E
        else:
            j1 -= 1
            j2 = s2 - (0x20 if s2 >= 0x80 else 0x1F)
        out += bytes((j1, j2))
        i += 2
    if kanji:
        out += b"\x1b(B"
    return bytes(out)


def test_raw_8bit_and_undeclared_headers(tmp_path: Path):
    # Old mailers put Shift_JIS bytes straight into headers and declare no charset for the body.
    head = "From: 鈴木 一郎 <ichiro@example.jp>\r\nTo: info@daiko-office.example.jp\r\n"
    head += "Subject: 退職代行の見積もり\r\nDate: Mon, 2 Nov 2026 10:00:00 +0900\r\n"
    head += "Message-ID: <raw8@example.jp>\r\n\r\n"
    message = head.encode("cp932") + "本文です。".encode("cp932")
    _, inquiries, _, review = convert(tmp_path, [message])
    assert inquiries[0]["customer_name"] == "鈴木 一郎"
    assert inquiries[0]["message"] == "本文です。"
    assert review[0]["subject"] == "退職代行の見積もり"
    assert "no charset declared" in review[0]["why"]


def test_html_only_mail_with_a_form_table(tmp_path: Path):
    html = (
        "<html><head><style>td{color:red}</style></head><body>"
        "<p>ホームページのお問い合わせフォームから送信されました。</p>"
        "<table><tr><th>お名前</th><td>田中 一郎</td></tr>"
        "<tr><th>ご住所</th><td>大阪府大阪市北区梅田1-1-1</td></tr>"
        "<tr><th>代行先電話番号</th><td>06-1234-5678</td></tr>"
        "<tr><th>希望日</th><td>2026年11月20日（金）</td></tr>"
        "<tr><th>依頼種別</th><td>退職の連絡</td></tr>"
        "<tr><th>お問い合わせ内容</th><td>よろしく<b>お願い</b>します。</td></tr></table>"
        "</body></html>"
    )
    message = raw_mail(
        sender=("", "form@forms.example.net"),
        subject="【お問い合わせ】ホームページより",
        body=html,
        subtype="html",
        message_id="<form1@forms.example.net>",
        extra=(("Reply-To", "tanaka@example.jp"),),
    )
    _, [row], _, review = convert(tmp_path, [message])
    assert row["customer_name"] == "田中 一郎"
    assert row["customer_address"] == "大阪府大阪市北区梅田1-1-1"
    assert row["target_phone"] == "06-1234-5678"
    assert row["requested_for"] == "2026-11-20"
    assert row["service"] == "退職の連絡"
    assert row["customer_email"] == "tanaka@example.jp"  # the contact form's Reply-To
    assert "よろしくお願いします。" in row["message"]  # inline tags add no spaces
    assert "<" not in row["message"]
    assert "color" not in row["message"]
    assert "HTML converted" in review[0]["why"]


def test_html_reply_quotes_and_signature_are_dropped(tmp_path: Path):
    html = (
        "<div dir='ltr'>正式に依頼します。<br>よろしくお願いします。</div>"
        "<div class='gmail_signature'>山田太郎<br>090-0000-0000</div>"
        "<div class='gmail_quote'><div class='gmail_attr'>2026年11月2日(月) 15:00 佐藤 "
        "&lt;sato@daiko-office.example.jp&gt;:<br></div><blockquote class='gmail_quote'>"
        "お見積り金額：12,000円</blockquote></div>"
    )
    messages = exchange(("office", "2026-11-02 15:00", "お見積り金額：12,000円"))
    messages.append(
        raw_mail(
            sender=CUSTOMER,
            subject="Re: 見積もりのお願い",
            body=html,
            subtype="html",
            when=at("2026-11-03 09:00"),
            message_id="<h2@example.jp>",
            in_reply_to="<m1@daiko-office.example.jp>",
        )
    )
    _, _, events, review = convert(tmp_path, messages)
    assert [e["event"] for e in events] == ["quote_sent", "contract_requested"]
    assert review[-1]["excerpt"] == "正式に依頼します。 よろしくお願いします。"


# ------------------------------------------------------------------------------------ quoted text


@pytest.mark.parametrize(
    "reply",
    [
        "今回は見送ります。\n\n> 山田様\n> お見積り金額：12,000円\n> ご契約ありがとうございます",
        "今回は見送ります。\n\n2026年11月2日(月) 15:00 電話代行オフィス <sato@daiko-office.example.jp>:\n"
        "> お見積り金額：12,000円",
        "今回は見送ります。\n\nOn Mon, Nov 2, 2026 at 3:00 PM 電話代行オフィス <sato@daiko-office.example.jp> wrote:\n"
        ">> ご契約ありがとうございます",
        "今回は見送ります。\n\n2026/11/02 15:00、電話代行オフィス <sato@daiko-office.example.jp>のメッセージ:\n"
        "\nご契約ありがとうございます\nお見積り金額：12,000円",
        "今回は見送ります。\n\n-----Original Message-----\nFrom: 電話代行オフィス\n"
        "Sent: Monday, November 2, 2026 3:00 PM\n\nご契約ありがとうございます",
        "今回は見送ります。\n\n________________________________\n差出人: 電話代行オフィス\n"
        "送信日時: 2026年11月2日 15:00\n件名: 見積もり\n\nご契約ありがとうございます",
        "今回は見送ります。\n-- \n山田 太郎\n〒160-0022 東京都新宿区\nご契約ありがとうございます",
        "今回は見送ります。\n\n＞ 山田様\n＞ ご契約ありがとうございます",
    ],
    ids=[
        "gt",
        "gmail-ja",
        "gmail-en",
        "apple-ja",
        "outlook-en",
        "outlook-ja",
        "signature",
        "fullwidth",
    ],
)
def test_quoted_text_and_signatures_are_removed(tmp_path: Path, reply: str):
    messages = exchange(("office", "2026-11-02 15:00", "お見積り金額：12,000円"))
    messages.append(
        raw_mail(
            sender=CUSTOMER,
            subject="Re: 見積もりのお願い",
            body=reply,
            when=at("2026-11-03 09:00"),
            message_id="<q@example.jp>",
            in_reply_to="<m1@daiko-office.example.jp>",
        )
    )
    _, _, events, review = convert(tmp_path, messages)
    assert events[-1]["event"] == "customer_declined"
    assert review[-1]["excerpt"] == "今回は見送ります。"


def test_bottom_posted_answers_between_quotes_are_kept(tmp_path: Path):
    first = "見積もりをお願いします。\n\nお名前：山田太郎\nご住所：東京都新宿区1-1\n-- \n山田"
    reply = "山田様 wrote:\n> 土曜日でも大丈夫ですか？\n大丈夫です。\n> 支払い方法は？\n振込です。"
    messages = exchange(("office", "2026-11-02 15:00", reply), first=first)
    _, [inquiry], events, review = convert(tmp_path, messages)
    assert (
        inquiry["message"]
        == "見積もりをお願いします。\n\nお名前：山田太郎\nご住所：東京都新宿区1-1"
    )
    assert review[1]["excerpt"] == "大丈夫です。 振込です。"
    assert events[0]["event"] == "staff_work"


def test_mbox_from_lines_in_bodies_survive(tmp_path: Path):
    body = "見積もりをお願いします。\nFrom now on 連絡はこのアドレスへ。"
    message = raw_mail(sender=CUSTOMER, body=body, cte="8bit", message_id="<from@example.jp>")
    _, [row], _, _ = convert(tmp_path, [message])
    assert row["message"] == body  # mbox writes '>From now on'; the reader undoes it


# ---------------------------------------------------------------------------------------- threading


def test_threads_by_in_reply_to_or_references_alone(tmp_path: Path):
    inquiry = raw_mail(sender=CUSTOMER, message_id="<root@example.jp>")
    quote = raw_mail(
        sender=STAFF,
        to=CUSTOMER,
        subject="お見積り",  # a different subject: the headers decide
        body="お見積り金額：12,000円",
        when=at("2026-11-02 12:00"),
        message_id="<q@daiko-office.example.jp>",
        in_reply_to="<root@example.jp>",
    )
    reply = raw_mail(
        sender=CUSTOMER,
        subject="ありがとうございます",
        body="検討します。",
        when=at("2026-11-03 12:00"),
        message_id="<r@example.jp>",
        references="<root@example.jp> <q@daiko-office.example.jp>",
    )
    result, inquiries, events, review = convert(tmp_path, [reply, quote, inquiry])  # any order
    assert result.inquiries == 1
    assert [e["event"] for e in events] == ["quote_sent", "customer_reply"]
    assert {r["thread"] for r in review} == {"T001"}
    assert (
        inquiries[0]["inquiry_id"] == "M-" + hashlib.sha256(b"<root@example.jp>").hexdigest()[:10]
    )


@pytest.mark.parametrize(
    "prefix",
    [
        "Re: ",
        "RE: ",
        "re:",
        "Fwd: ",
        "FW: ",
        "Fw:",
        "Ｒｅ：",
        "返信: ",
        "転送: ",
        "RE：",
        "Re: Re: ",
        "Re[2]: ",
        "返信：Re: ",
    ],
)
def test_threads_by_subject_without_headers(tmp_path: Path, prefix: str):
    inquiry = raw_mail(sender=CUSTOMER, subject="見積もりのお願い", message_id="<a@example.jp>")
    quote = raw_mail(
        sender=STAFF,
        to=CUSTOMER,
        subject=prefix + "見積もりのお願い",
        body="お見積り金額：¥12,000",
        when=at("2026-11-02 15:00"),
        message_id="<b@daiko-office.example.jp>",
    )
    request = raw_mail(
        sender=CUSTOMER,
        subject=prefix + "見積もりのお願い",
        body="正式に依頼します。",
        when=at("2026-11-03 09:00"),
        message_id="<c@example.jp>",
    )
    result, _, events, review = convert(tmp_path, [inquiry, quote, request])
    assert result.inquiries == 1
    assert [(e["event"], e["amount_jpy"]) for e in events] == [
        ("quote_sent", "12000"),
        ("contract_requested", ""),
    ]
    assert len({r["thread"] for r in review}) == 1


def test_thread_subject_removes_every_prefix():
    for subject in (
        "Re: RE: Fwd: FW: 見積もり",
        "Ｒｅ：見積もり",
        "返信: 転送: 見積もり",
        "  re : 見積もり",
    ):
        assert thread_subject(subject) == ("見積もり", True)
    assert thread_subject("見積もり") == ("見積もり", False)
    assert thread_subject("Reply needed") == ("reply needed", False)


def test_subject_threading_needs_the_same_customer(tmp_path: Path):
    first = raw_mail(sender=CUSTOMER, subject="見積もりのお願い", message_id="<a@example.jp>")
    other = raw_mail(
        sender=("別の人", "other@example.jp"),
        subject="Re: 見積もりのお願い",
        body="私も見積もりをお願いします。",
        when=at("2026-11-03 09:00"),
        message_id="<o@example.jp>",
    )
    result, _, _, _ = convert(tmp_path, [first, other])
    assert result.inquiries == 2


def test_customer_mail_without_prefix_is_a_new_inquiry(tmp_path: Path):
    # Contact forms send every inquiry with the same subject (here from the same address, the
    # customer only in Reply-To): two form mails are two inquiries, never one thread.
    forms = [
        raw_mail(
            sender=("", "form@forms.example.net"),
            subject="【お問い合わせ】ホームページより",
            body=f"お名前：{name}\n見積もりをお願いします。",
            when=at(when),
            extra=(("Reply-To", addr),),
        )
        for name, addr, when in (
            ("山田太郎", "taro@example.jp", "2026-11-02 10:00"),
            ("佐藤花子", "hanako@example.jp", "2026-11-05 10:00"),
            ("山田太郎", "taro@example.jp", "2026-11-20 10:00"),
        )
    ]
    result, inquiries, _, _ = convert(tmp_path, forms)
    assert result.inquiries == 3
    assert [i["customer_email"] for i in inquiries] == [
        "taro@example.jp",
        "hanako@example.jp",
        "taro@example.jp",
    ]


def test_office_mail_without_prefix_joins_its_customers_thread(tmp_path: Path):
    inquiry = raw_mail(sender=CUSTOMER, subject="見積もりのお願い", message_id="<a@example.jp>")
    quote = raw_mail(
        sender=STAFF,
        to=CUSTOMER,
        subject="見積もりのお願い",
        body="お見積り金額：9,800円",
        when=at("2026-11-02 15:00"),
        message_id="<b@daiko-office.example.jp>",
    )
    _, _, events, _ = convert(tmp_path, [inquiry, quote])
    assert [e["event"] for e in events] == ["quote_sent"]


def test_reply_to_a_message_not_in_the_mailbox_falls_back_to_the_subject(tmp_path: Path):
    # Only the inbox was exported: the customer's reply points at the office's quote, which is not
    # there; it joins the inquiry by subject and address.
    inquiry = raw_mail(sender=CUSTOMER, subject="見積もりのお願い", message_id="<a@example.jp>")
    reply = raw_mail(
        sender=CUSTOMER,
        subject="Re: 見積もりのお願い",
        body="正式に依頼します。",
        when=at("2026-11-03 09:00"),
        message_id="<c@example.jp>",
        in_reply_to="<not-exported@daiko-office.example.jp>",
    )
    result, _, events, _ = convert(tmp_path, [inquiry, reply])
    assert result.inquiries == 1
    assert [e["event"] for e in events] == ["contract_requested"]


def test_thread_starting_outgoing_is_no_inquiry(tmp_path: Path):
    newsletter = raw_mail(
        sender=("電話代行オフィス", OFFICE),
        to=("", OFFICE),
        subject="【お知らせ】年末年始の営業について",
        body="12月29日から1月3日まで休業いたします。",
        message_id="<news@daiko-office.example.jp>",
    )
    answer = raw_mail(
        sender=CUSTOMER,
        subject="Re: 【お知らせ】年末年始の営業について",
        body="承知しました。",
        when=at("2026-11-03 09:00"),
        message_id="<ans@example.jp>",
        in_reply_to="<news@daiko-office.example.jp>",
    )
    result, inquiries, events, review = convert(tmp_path, [newsletter, answer])
    assert (result.inquiries, result.events, result.skipped) == (0, 0, 2)
    assert inquiries == []
    assert events == []
    for row in review:
        assert row["became"] == "not used"
        assert "starts with an outgoing message" in row["why"]
        assert "送信メールで始まる" in row["why_ja"]
        assert row["thread"] == "T001"
    assert [r["direction"] for r in review] == ["outgoing", "incoming"]


# ------------------------------------------------------------------------------------------ events


@pytest.mark.parametrize(
    ("body", "amount"),
    [
        ("お見積り金額：12,000円（税込）", "12000"),
        ("料金は¥12,000です。", "12000"),
        ("料金は￥１２，０００です。", "12000"),
        ("料金は１万２０００円です。", "12000"),
        ("料金は1.5万円です。", "15000"),
        ("料金は12000 yen です。", "12000"),
        ("基本料金 10,000円\n深夜割増 3,000円\n合計 13,000円", "13000"),
        ("お見積り金額：13,000円（内訳：基本10,000円、割増3,000円）", "13000"),
        ("交通費 500円、通話 8,000円", "8000"),
    ],
)
def test_quote_amounts(tmp_path: Path, body: str, amount: str):
    _, _, events, review = convert(tmp_path, exchange(("office", "2026-11-02 15:00", body)))
    assert (events[0]["event"], events[0]["amount_jpy"]) == ("quote_sent", amount)
    assert events[0]["staff"] == "電話代行オフィス 佐藤"
    assert events[0]["staff_minutes"] == "20"
    if body.count("円") + body.count("¥") + body.count("￥") > 1:
        assert "several amounts" in review[1]["why"]


def test_every_event_kind_and_its_minutes(tmp_path: Path):
    later = [
        ("office", "2026-11-02 15:00", "お見積り金額：12,000円"),  # quote_sent
        ("customer", "2026-11-02 18:00", "土曜日でも大丈夫ですか？"),  # customer_reply
        ("office", "2026-11-03 09:00", "はい、大丈夫です。"),  # staff_work
        ("customer", "2026-11-03 10:00", "正式に依頼します。"),  # contract_requested
        ("office", "2026-11-04 09:00", "ご契約ありがとうございます。"),  # contract_signed
        (
            "customer",
            "2026-11-05 09:00",
            "申し訳ありません、キャンセルさせてください。",
        ),  # cancelled
    ]
    result, [inquiry], events, review = convert(tmp_path, exchange(*later))
    assert [(e["event"], e["staff_minutes"], e["staff"]) for e in events] == [
        ("quote_sent", "20", "電話代行オフィス 佐藤"),
        ("customer_reply", "0", ""),
        ("staff_work", "10", "電話代行オフィス 佐藤"),
        ("contract_requested", "0", ""),
        ("contract_signed", "10", "電話代行オフィス 佐藤"),
        ("cancelled", "0", ""),
    ]
    assert inquiry["staff_minutes"] == "5"
    assert inquiry["channel"] == "メール"
    assert result.event_counts == {
        "quote_sent": 1,
        "customer_reply": 1,
        "staff_work": 1,
        "contract_requested": 1,
        "contract_signed": 1,
        "cancelled": 1,
    }
    assert [r["became"] for r in review] == ["inquiry", *(e["event"] for e in events)]
    assert [e["event_at"] for e in events] == [f"{w}:00" for _, w, _ in later]


def test_decline_and_cancel_before_a_contract(tmp_path: Path):
    later = [
        ("office", "2026-11-02 15:00", "お見積り金額：12,000円"),
        ("customer", "2026-11-03 10:00", "見積もりはキャンセルでお願いします。"),
        ("customer", "2026-11-03 11:00", "他社に依頼することにしました。"),
    ]
    _, _, events, review = convert(tmp_path, exchange(*later))
    assert [e["event"] for e in events] == ["quote_sent", "customer_reply", "customer_declined"]
    assert "no contract yet" in review[2]["why"]


def test_amount_wins_over_a_contract_phrase_and_is_flagged(tmp_path: Path):
    body = "正式契約をご希望の場合はご返信ください。お見積り金額：12,000円"
    _, _, events, review = convert(tmp_path, exchange(("office", "2026-11-02 15:00", body)))
    assert events[0]["event"] == "quote_sent"
    assert "also has the contract phrase 「正式契約」" in review[1]["why"]


def test_phrases_and_minutes_come_from_the_settings(tmp_path: Path):
    settings = MailboxSettings(
        office_addresses=(STAFF[1],),
        contract_phrases=("契約確定",),
        request_phrases=("進めてください",),
        mail_read_minutes=7,
        mail_reply_minutes=11,
        mail_quote_minutes=23,
    )
    later = [
        ("office", "2026-11-02 15:00", "お見積り金額：12,000円"),
        ("customer", "2026-11-03 10:00", "この内容で進めてください。"),
        ("office", "2026-11-04 09:00", "ご契約ありがとうございます。契約確定です。"),
    ]
    _, [inquiry], events, _ = convert(tmp_path, exchange(*later), settings)
    assert inquiry["staff_minutes"] == "7"
    assert [(e["event"], e["staff_minutes"]) for e in events] == [
        ("quote_sent", "23"),
        ("contract_requested", "0"),
        ("contract_signed", "11"),
    ]


def test_without_office_addresses_every_message_is_a_customers(tmp_path: Path):
    result, _, events, _ = convert(
        tmp_path,
        exchange(("office", "2026-11-02 15:00", "お見積り金額：12,000円")),
        MailboxSettings(),
    )
    assert [e["event"] for e in events] == ["customer_reply"]
    assert "office_addresses is empty" in result.summary()


# --------------------------------------------------------------------------------- inquiry fields


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("希望日：2026年11月20日", "2026-11-20"),
        ("実行希望日: 2026/11/20 14:30", "2026-11-20 14:30"),
        ("【希望日時】令和8年11月20日（金） 午後2時", "2026-11-20 14:00"),
        ("希望日：R8.11.20", "2026-11-20"),
        ("■希望日：１１月２０日", "2026-11-20"),
        (
            "希望日：1月15日",
            "2027-01-15",
        ),  # received 2026-11-02: the nearest 1月15日 is next year's
        ("希望日：11/20 10時半頃", "2026-11-20 10:30"),
        ("希望日：来週のどこか", ""),
        ("希望日：2月30日", ""),
        (
            "11月20日に電話してください",
            "",
        ),  # free text: the loader reads it, not the mailbox import
    ],
)
def test_requested_for_only_from_a_labelled_field(tmp_path: Path, line: str, expected: str):
    message = raw_mail(
        sender=CUSTOMER, body=f"見積もりをお願いします。\n{line}", message_id="<r@x.jp>"
    )
    _, [row], _, review = convert(tmp_path, [message])
    assert row["requested_for"] == expected
    assert line in row["message"]
    if "希望日" in line and not expected:
        assert "left blank" in review[0]["why"]


def test_labelled_fields_in_their_many_spellings(tmp_path: Path):
    body = (
        "ホームページより送信\n"
        "【氏名】 鈴木 次郎\n"
        "・住所：\n  神奈川県横浜市西区みなとみらい2-2-1\n"
        "◆メールアドレス（必須）： jiro＠example.jp\n"
        "電話先番号：０４５－１１１－２２２２\n"
        "サービス: 欠勤の連絡\n"
        "お名前（フリガナ）：スズキ ジロウ\n"
        "内容：よろしくお願いします"
    )
    message = raw_mail(sender=("", "form@forms.example.net"), body=body, message_id="<f@x.jp>")
    _, [row], _, _ = convert(tmp_path, [message])
    assert row["customer_name"] == "鈴木 次郎"
    assert row["customer_address"] == "神奈川県横浜市西区みなとみらい2-2-1"
    assert row["customer_email"] == "jiro@example.jp"
    assert row["target_phone"] == "045-111-2222"
    assert row["service"] == "欠勤の連絡"


def test_missing_fields_are_left_blank_and_named(tmp_path: Path):
    message = raw_mail(sender=("", "anon@example.jp"), message_id="<anon@x.jp>")
    _, [row], _, review = convert(tmp_path, [message])
    assert (row["customer_name"], row["customer_address"], row["target_phone"]) == ("", "", "")
    assert "customer_name, customer_address, target_phone" in review[0]["why"]


# ------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Mon, 02 Nov 2026 10:00:00 +0900", "2026-11-02 10:00:00"),
        ("Mon, 02 Nov 2026 01:00:00 +0000", "2026-11-02 10:00:00"),
        ("Sun, 01 Nov 2026 20:00:00 -0500", "2026-11-02 10:00:00"),
        ("Sun, 01 Nov 2026 17:30:00 -0730", "2026-11-02 10:00:00"),
        ("Mon, 02 Nov 2026 01:00:00 -0000", "2026-11-02 10:00:00"),
        ("Mon, 02 Nov 2026 01:00:00 GMT", "2026-11-02 10:00:00"),
        ("Mon, 2 Nov 2026 10:00:00 JST", "2026-11-02 10:00:00"),
        ("Sun, 01 Nov 2026 23:30:00 +0000", "2026-11-02 08:30:00"),  # a different day in Japan
    ],
)
def test_dates_in_any_offset_become_japan_time(tmp_path: Path, header: str, expected: str):
    message = raw_mail(sender=CUSTOMER, date_header=header, message_id="<d@x.jp>")
    _, [row], _, review = convert(tmp_path, [message])
    assert row["received_at"] == expected
    assert review[0]["date"] == expected


def test_missing_date_falls_back_to_received(tmp_path: Path):
    message = raw_mail(
        sender=CUSTOMER,
        date_header="not a date",
        message_id="<nd@x.jp>",
        extra=(("Received", "from mx by mail.example.jp; Mon, 2 Nov 2026 01:00:05 +0000"),),
    )
    _, [row], _, review = convert(tmp_path, [message])
    assert row["received_at"] == "2026-11-02 10:00:05"
    assert "no readable Date header" in review[0]["why"]


# ----------------------------------------------------------------------- nothing dropped silently


def test_attachment_only_mails(tmp_path: Path):
    messages = exchange(("office", "2026-11-02 15:00", "お見積り金額：12,000円"))
    pdf = EmailMessage()
    pdf["From"] = formataddr(CUSTOMER)
    pdf["To"] = OFFICE
    pdf["Subject"] = "Re: 見積もりのお願い"
    pdf["Date"] = format_datetime(at("2026-11-03 09:00"))
    pdf["Message-ID"] = "<pdf@example.jp>"
    pdf["In-Reply-To"] = "<m1@daiko-office.example.jp>"
    pdf.add_attachment(
        b"%PDF-1.4 ...", maintype="application", subtype="pdf", filename="委任状.pdf"
    )
    messages.append(pdf)
    quote_pdf = EmailMessage()
    quote_pdf["From"] = formataddr(STAFF)
    quote_pdf["To"] = formataddr(CUSTOMER)
    quote_pdf["Subject"] = "Re: 見積もりのお願い"
    quote_pdf["Date"] = format_datetime(at("2026-11-04 09:00"))
    quote_pdf["Message-ID"] = "<qpdf@daiko-office.example.jp>"
    quote_pdf["In-Reply-To"] = "<pdf@example.jp>"
    quote_pdf.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="見積書.pdf")
    messages.append(quote_pdf)
    _, _, events, review = convert(tmp_path, messages)
    assert [e["event"] for e in events] == ["quote_sent", "customer_reply", "staff_work"]
    for row, name in ((review[2], "委任状.pdf"), (review[3], "見積書.pdf")):
        assert row["attachments"] == name
        assert "attachment only" in row["why"]
        assert "添付ファイルのみ" in row["why_ja"]


def test_unreadable_messages_are_on_the_review_sheet(tmp_path: Path):
    good = raw_mail(sender=CUSTOMER, message_id="<good@x.jp>")
    unknown_charset = raw_mail(
        sender=CUSTOMER,
        charset="x-unknown-jis",
        cte="8bit",
        message_id="<u1@x.jp>",
        body_bytes=b"\x1b$B$3$s\x1b(B \xff\xfe",
    )
    bad_bytes = raw_mail(
        sender=CUSTOMER,
        charset="shift_jis",
        cte="8bit",
        message_id="<u2@x.jp>",
        body_bytes=b"\x82\xa0\x82\xa2 \xff\xfc\x80 \x85\x40\x85",
    )
    no_date = raw_mail(sender=CUSTOMER, date_header="someday", message_id="<u3@x.jp>")
    no_sender = raw_mail(sender=("", "nobody"), message_id="<u4@x.jp>")
    garbage = b"this is not an e-mail at all\r\njust some text\r\n"
    old = raw_mail(
        sender=CUSTOMER, date_header="Thu, 01 Jan 1970 00:00:00 +0000", message_id="<u5@x.jp>"
    )
    result, inquiries, _, review = convert(
        tmp_path, [good, unknown_charset, bad_bytes, no_date, no_sender, garbage, old]
    )
    assert (result.messages, result.inquiries, result.skipped) == (7, 1, 6)
    assert result.skipped_counts == {"unreadable": 6}
    reasons = {r["message_id"]: r["why"] for r in review if r["became"] == "not used"}
    assert "unknown character set 'x-unknown-jis'" in reasons["<u1@x.jp>"]
    assert "not valid shift_jis" in reasons["<u2@x.jp>"]
    assert "no readable Date" in reasons["<u3@x.jp>"]
    assert "no sender address" in reasons["<u4@x.jp>"]
    assert "no mail headers" in reasons[""]
    assert "out of range" in reasons["<u5@x.jp>"]
    assert all(r["why"].startswith("unreadable: ") for r in review if r["became"] == "not used")
    assert [i["inquiry_id"] for i in inquiries] == [inquiry_id_for("<good@x.jp>")]


@pytest.mark.slow
@hypothesis_settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    base=st.integers(min_value=0, max_value=4),
    edits=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1, exclude_max=True),
            st.sampled_from(
                [
                    b"\x00",
                    b"\xff",
                    b"\x1b$B",
                    b"=?utf-8?b?",
                    b"=?x\x00?q?",
                    b"\r\n\r\n",
                    b"<",
                    b"--",
                    b"Content-Type: multipart/mixed; boundary=x\r\n",
                    b'charset="\x00"',
                    b"",
                ]
            ),
            st.integers(min_value=0, max_value=40),
        ),
        max_size=12,
    ),
)
def test_hostile_bytes_never_stop_the_import(base: int, edits: list[tuple[float, bytes, int]]):
    """Whatever a message holds, the import finishes and every message is on the review sheet."""
    samples = [
        *exchange(("office", "2026-11-02 15:00", "お見積り金額：12,000円")),
        raw_mail(sender=CUSTOMER, charset="iso-2022-jp", header_charset="iso-2022-jp", cte="7bit"),
        raw_mail(
            sender=CUSTOMER, body="<p>お名前：山田</p>", subtype="html", cte="quoted-printable"
        ),
        raw_mail(sender=CUSTOMER, charset="shift_jis", header_charset="shift_jis", cte="8bit"),
    ]
    data = bytearray(samples[base])
    for where, insert, cut in edits:
        at_ = int(where * len(data))
        data[at_ : at_ + cut] = insert
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "eml"
        folder.mkdir()
        (folder / "0.eml").write_bytes(bytes(data))
        (folder / "1.eml").write_bytes(samples[0])
        result = convert_mailbox([folder], Path(tmp) / "out", SETTINGS)
        assert result.messages == 2 == result.inquiries + result.events + result.skipped
        assert len(read_rows(result.review_path)) == 2
        for path in (result.inquiries_path, result.quotes_path, result.review_path):
            path.read_bytes().decode("utf-8-sig")  # valid UTF-8, no stray surrogates


def test_duplicates_spam_bounces_and_automatic_mail(tmp_path: Path):
    inquiry = raw_mail(sender=CUSTOMER, message_id="<dup@example.jp>")
    spam = raw_mail(
        sender=("", "offer@spam.example"),
        subject="高収入のご案内",
        message_id="<spam@spam.example>",
        extra=(("X-Gmail-Labels", "Spam,Unread"),),
    )
    bounce = raw_mail(
        sender=("Mail Delivery Subsystem", "MAILER-DAEMON@mx.example.net"),
        subject="Undelivered Mail Returned to Sender",
        message_id="<bounce@mx.example.net>",
    )
    shop = raw_mail(
        sender=("ショップ", "news@shop.example"),
        subject="セールのお知らせ",
        message_id="<shop@shop.example>",
        extra=(("List-Unsubscribe", "<mailto:unsub@shop.example>"),),
    )
    away = raw_mail(
        sender=CUSTOMER,
        subject="不在通知",
        message_id="<away@example.jp>",
        extra=(("Auto-Submitted", "auto-replied"),),
    )
    first = write_mbox(tmp_path / "Inbox.mbox", [inquiry, spam, bounce])
    second = write_mbox(tmp_path / "All mail.mbox", [inquiry, shop, away])
    result = convert_mailbox([first, second], tmp_path / "out", SETTINGS)
    assert (result.messages, result.inquiries, result.events, result.skipped) == (6, 1, 0, 5)
    assert result.skipped_counts == {
        "duplicate": 1,
        "label": 1,
        "ignored sender": 1,
        "automatic": 2,
    }
    why = {(r["message_id"], r["source"]): r["why"] for r in read_rows(result.review_path)}
    assert (
        "duplicate of" in why[("<dup@example.jp>", "Inbox.mbox #1")]
        or "duplicate of" in why[("<dup@example.jp>", "All mail.mbox #1")]
    )
    assert "Gmail label Spam" in why[("<spam@spam.example>", "Inbox.mbox #2")]
    assert "ignored_senders" in why[("<bounce@mx.example.net>", "Inbox.mbox #3")]
    assert "List-Unsubscribe" in why[("<shop@shop.example>", "All mail.mbox #2")]
    assert "Auto-Submitted: auto-replied" in why[("<away@example.jp>", "All mail.mbox #3")]
    # with skip_automatic off, the automatic mails are read like any other
    lenient = MailboxSettings(office_addresses=SETTINGS.office_addresses, skip_automatic=False)
    assert convert_mailbox([first, second], tmp_path / "out2", lenient).inquiries == 3


def test_message_without_message_id(tmp_path: Path):
    message = raw_mail(sender=CUSTOMER, when=at("2026-11-02 10:00"))
    _, [row], _, review = convert(tmp_path, [message])
    digest = hashlib.sha256(
        "taro@example.jp\n2026-11-02T01:00:00Z\n見積もりのお願い".encode()
    ).hexdigest()
    assert row["inquiry_id"] == "M-" + digest[:10]
    assert "no Message-ID" in review[0]["why"]
    again = convert(tmp_path, [message], name="again")[1]
    assert again[0]["inquiry_id"] == row["inquiry_id"]


def test_every_message_counted_once(tmp_path: Path):
    messages = [
        *exchange(
            ("office", "2026-11-02 15:00", "お見積り金額：12,000円"),
            ("customer", "2026-11-03 10:00", "検討します。"),
        ),
        raw_mail(sender=("", OFFICE), subject="お知らせ", message_id="<n@daiko-office.example.jp>"),
        b"garbage\r\n",
    ]
    result, inquiries, events, review = convert(tmp_path, messages)
    assert result.messages == len(messages) == len(review)
    assert result.messages == result.inquiries + result.events + result.skipped
    assert (len(inquiries), len(events)) == (result.inquiries, result.events)
    assert [r["row"] for r in review] == [str(n) for n in range(1, len(review) + 1)]


# ------------------------------------------------------------------------------------------- output


def test_output_format(tmp_path: Path):
    first = 'お名前：=HYPERLINK("http://evil.example","x")\nご住所：+81 東京都\n見積もり\x00です。'
    messages = exchange(("office", "2026-11-02 15:00", "お見積り金額：12,000円"), first=first)
    result, [inquiry], _, review = convert(tmp_path, messages)
    for path, header in (
        (result.inquiries_path, INQUIRY_HEADER),
        (result.quotes_path, EVENT_HEADER),
    ):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        first_line = data[3:].split(b"\r\n", 1)[0].decode()
        assert first_line == ",".join(f'"{c}"' for c in header)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert all(len(r) == len(header) for r in rows)
    # every value is quoted, the empty ones too
    text = result.quotes_path.read_bytes().decode("utf-8-sig")
    assert all(line.startswith('"') and line.endswith('"') for line in text.split("\r\n") if line)
    assert ',"",' in result.inquiries_path.read_bytes().decode("utf-8-sig")  # blanks quoted too
    # text that Excel would run as a formula gets an apostrophe; control characters go
    assert inquiry["customer_name"].startswith("'=HYPERLINK")
    assert inquiry["customer_address"] == "'+81 東京都"
    assert "\x00" not in inquiry["message"]
    assert review[0]["excerpt"].startswith("お名前")


def test_every_line_of_a_cell_is_neutralised(tmp_path: Path):
    """The files go through export's safe writer: a formula on a later line of a value is defused too."""
    first = 'お問い合わせです。\n=HYPERLINK("http://evil.example","x")\n@SUM(A1)'
    _, [inquiry], _, _ = convert(tmp_path, exchange(first=first))
    assert "\n'=HYPERLINK" in inquiry["message"]
    assert "\n'@SUM(A1)" in inquiry["message"]


def test_review_sheet_is_not_taken_for_a_log(tmp_path: Path):
    result, _, _, _ = convert(tmp_path, exchange())
    header = next(csv.reader(io.StringIO(result.review_path.read_bytes().decode("utf-8-sig"))))
    with pytest.raises(HeaderError):
        recognise_header(header)
    for path in (result.inquiries_path, result.quotes_path):
        head = next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
        assert recognise_header(head).kind in ("inquiries", "events")


def test_same_mailbox_gives_byte_identical_files(tmp_path: Path):
    messages = [
        *exchange(
            ("office", "2026-11-02 15:00", "お見積り金額：12,000円"),
            ("customer", "2026-11-03 10:00", "正式に依頼します。"),
            ("office", "2026-11-04 09:00", "ご契約ありがとうございます。"),
        ),
        raw_mail(sender=("", OFFICE), subject="お知らせ", message_id="<n@daiko-office.example.jp>"),
        raw_mail(sender=("別の人", "b@example.jp"), subject="相談", when=at("2026-11-05 09:00")),
        b"garbage\r\n",
    ]
    box = write_mbox(tmp_path / "box.mbox", messages)
    one = convert_mailbox([box], tmp_path / "one", SETTINGS)
    two = convert_mailbox([box], tmp_path / "two", SETTINGS)
    for a, b in zip(
        (one.inquiries_path, one.quotes_path, one.review_path),
        (two.inquiries_path, two.quotes_path, two.review_path),
        strict=True,
    ):
        assert a.read_bytes() == b.read_bytes()
    # the same messages in another order give the same logs (only the review's source differs)
    shuffled = write_mbox(tmp_path / "shuffled.mbox", messages[::-1])
    three = convert_mailbox([shuffled], tmp_path / "three", SETTINGS)
    assert three.inquiries_path.read_bytes() == one.inquiries_path.read_bytes()
    assert three.quotes_path.read_bytes() == one.quotes_path.read_bytes()
    strip = lambda rows: [{k: v for k, v in r.items() if k != "source"} for r in rows]  # noqa: E731
    assert strip(read_rows(three.review_path)) == strip(read_rows(one.review_path))


def test_mbox_and_eml_folder_give_the_same_logs(tmp_path: Path):
    html = raw_mail(
        sender=("佐藤 花子", "hanako@example.jp"),
        subject="見積依頼",
        body="<p>お名前：佐藤花子</p><p>From the web form</p>",
        subtype="html",
        when=at("2026-11-06 10:00"),
        message_id="<h@example.jp>",
    )
    messages = [
        *exchange(
            ("office", "2026-11-02 15:00", "お見積り金額：12,000円"),
            ("customer", "2026-11-03 10:00", "正式に依頼します。\nFrom now on よろしく。"),
            ("office", "2026-11-04 09:00", "ご契約ありがとうございます。"),
        ),
        html,
        raw_mail(
            sender=CUSTOMER,
            subject="no id",
            body="見積もりです。\nFrom the form",
            when=at("2026-11-07 10:00"),
            cte="8bit",
        ),
        raw_mail(
            sender=("鈴木", "suzuki@example.jp"),
            subject="見積",
            charset="iso-2022-jp",
            header_charset="iso-2022-jp",
            cte="7bit",
            when=at("2026-11-08 10:00"),
            message_id="<j@example.jp>",
        ),
    ]
    box = write_mbox(tmp_path / "box.mbox", messages)
    folder = write_eml_folder(tmp_path / "eml", messages)
    from_box = convert_mailbox([box], tmp_path / "a", SETTINGS)
    from_eml = convert_mailbox([folder], tmp_path / "b", SETTINGS)
    assert from_box.inquiries == from_eml.inquiries == 4
    assert from_eml.inquiries_path.read_bytes() == from_box.inquiries_path.read_bytes()
    assert from_eml.quotes_path.read_bytes() == from_box.quotes_path.read_bytes()
    strip = lambda rows: [{k: v for k, v in r.items() if k != "source"} for r in rows]  # noqa: E731
    assert strip(read_rows(from_eml.review_path)) == strip(read_rows(from_box.review_path))
    # single .eml files given by name, too
    singles = sorted(folder.glob("*.eml"))
    from_files = convert_mailbox(singles, tmp_path / "c", SETTINGS)
    assert from_files.quotes_path.read_bytes() == from_box.quotes_path.read_bytes()


# ---------------------------------------------------------------------------- unreadable input, CLI


def test_mailbox_paths_that_cannot_be_read(tmp_path: Path):
    out = tmp_path / "out"
    with pytest.raises(MailboxError, match="no such file"):
        convert_mailbox([tmp_path / "missing.mbox"], out, SETTINGS)
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"")
    with pytest.raises(MailboxError, match=r"empty\.mbox: the file is empty"):
        convert_mailbox([empty], out, SETTINGS)
    text = tmp_path / "notes.txt"
    text.write_text("inquiry_id,received_at\n", encoding="utf-8")
    with pytest.raises(MailboxError, match=r"notes\.txt: not an mbox file"):
        convert_mailbox([text], out, SETTINGS)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    with pytest.raises(MailboxError, match=r"holds no \.eml or \.mbox files"):
        convert_mailbox([folder], out, SETTINGS)
    with pytest.raises(MailboxError, match="no mailbox given"):
        convert_mailbox([], out, SETTINGS)
    box = write_mbox(tmp_path / "ok.mbox", exchange())
    with pytest.raises(MailboxError, match="not a folder"):
        convert_mailbox([box], text, SETTINGS)
    assert not out.exists()  # nothing written when the input cannot be read


def test_run_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    box = write_mbox(
        tmp_path / "box.mbox", exchange(("office", "2026-11-02 15:00", "お見積り金額：12,000円"))
    )
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[mailbox]\noffice_addresses = ["@daiko-office.example.jp"]\n', encoding="utf-8"
    )
    assert run_cli([box], tmp_path / "out", settings) == 0
    printed = capsys.readouterr().out
    assert "Read 2 message(s): 1 inquiry(ies), 1 event(s), 0 not used" in printed
    assert "quote_sent 1" in printed
    assert str(tmp_path / "out" / "mail_review.csv") in printed
    with pytest.raises(MailboxError):
        run_cli([tmp_path / "nope.mbox"], tmp_path / "out", None)
    assert tomllib.loads(settings.read_text(encoding="utf-8"))  # left as it was


@pytest.mark.slow
def test_logs_load_and_review_sheet_is_refused(tmp_path: Path):
    later = [
        ("office", "2026-11-02 15:00", "お見積り金額：12,000円"),
        ("customer", "2026-11-03 10:00", "正式に依頼します。"),
    ]
    first = (
        "お名前：山田太郎\nご住所：東京都新宿区1-1\n架電先：03-1234-5678\n希望日：2026年11月20日"
    )
    result, _, _, _ = convert(tmp_path, exchange(*later, first=first))
    db = tmp_path / "ops.duckdb"
    loaded = pipelines.load_files([result.inquiries_path, result.quotes_path], db)
    assert sum(p.rows_quarantined for p in loaded.parts) == 0
    assert sum(p.rows_loaded for p in loaded.parts) == 3
    with pytest.raises(pipelines.FileRefused, match=r"mail_review\.csv"):
        pipelines.load_files([result.review_path], db)


# ------------------------------------------------------------------- a small office's two months


class Conversation:
    """One thread of a small office's mailbox: a customer's first mail and the replies to it."""

    def __init__(
        self,
        key: str,
        customer: tuple[str, str],
        subject: str,
        *,
        charset: str = "utf-8",
        cte: str = "base64",
        headers: bool = True,
        via_form: bool = False,
    ) -> None:
        self.key, self.customer_addr, self.subject = key, customer, subject
        self.charset, self.cte, self.headers, self.via_form = charset, cte, headers, via_form
        self.mails: list[bytes | EmailMessage] = []
        self.ids: list[str] = []

    def _next_id(self, domain: str) -> str:
        return f"<{self.key}.{len(self.ids) + 1}@{domain}>"

    def _add(self, data: bytes | EmailMessage, message_id: str) -> None:
        self.mails.append(data)
        self.ids.append(message_id)

    def _thread_headers(self) -> dict[str, str | None]:
        if not self.headers or not self.ids:
            return {"in_reply_to": None, "references": None}
        return {"in_reply_to": self.ids[-1], "references": " ".join(self.ids)}

    def customer(
        self,
        when: str,
        body: str,
        *,
        prefix: str = "Re: ",
        subtype: str = "plain",
        tz: timezone = JST,
    ) -> Conversation:
        first = not self.ids
        message_id = self._next_id("example.jp")
        sender = self.customer_addr
        extra: tuple[tuple[str, str], ...] = ()
        if (
            first and self.via_form
        ):  # a contact form sends from its own address, customer in Reply-To
            sender = ("ホームページ", "form@forms.example.net")
            extra = (("Reply-To", self.customer_addr[1]),)
        self._add(
            raw_mail(
                sender=sender,
                subject=self.subject if first else prefix + self.subject,
                body=body,
                when=at(f"2026-{when}", tz),
                message_id=message_id,
                charset=self.charset,
                header_charset=self.charset,
                cte=self.cte,
                subtype=subtype,
                extra=extra,
                **self._thread_headers(),
            ),
            message_id,
        )
        return self

    def attachment(self, when: str, filename: str) -> Conversation:
        message_id = self._next_id("example.jp")
        mail = EmailMessage()
        mail["From"] = formataddr(self.customer_addr)
        mail["To"] = OFFICE
        mail["Subject"] = "Re: " + self.subject
        mail["Date"] = format_datetime(at(f"2026-{when}"))
        mail["Message-ID"] = message_id
        mail["In-Reply-To"] = self.ids[-1]
        mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename=filename)
        self._add(mail, message_id)
        return self

    def office(
        self, when: str, body: str, *, staff: str = "佐藤", prefix: str = "Re: "
    ) -> Conversation:
        message_id = self._next_id("daiko-office.example.jp")
        address = {"佐藤": "sato", "鈴木": "suzuki"}[staff] + "@daiko-office.example.jp"
        self._add(
            raw_mail(
                sender=(f"電話代行オフィス {staff}", address),
                to=self.customer_addr,
                subject=prefix + self.subject,
                body=f"{self.customer_addr[0]}様\n\n{body}\n\n-- \n電話代行オフィス {staff}\n"
                "TEL 03-0000-0000",
                when=at(f"2026-{when}"),
                message_id=message_id,
                charset=self.charset,
                header_charset=self.charset,
                cte=self.cte,
                **self._thread_headers(),
            ),
            message_id,
        )
        return self


def form(name: str, address: str, phone: str, day: str, service: str, text: str) -> str:
    """A contact form's plain-text body; a blank value leaves the field out."""
    fields = [("お名前", name), ("ご住所", address), ("架電先", phone), ("希望日", day)]
    fields.append(("依頼種別", service))
    lines = [f"{label}：{value}" for label, value in fields if value]
    return "\n".join([*lines, "", text])


def form_html(name: str, address: str, phone: str, day: str, service: str, text: str) -> str:
    rows = "".join(
        f"<tr><th>{label}</th><td>{value}</td></tr>"
        for label, value in (
            ("お名前", name),
            ("ご住所", address),
            ("代行先電話番号", phone),
            ("実行希望日", day),
            ("サービス", service),
            ("お問い合わせ内容", text),
        )
    )
    return f"<html><body><p>フォームから送信されました。</p><table>{rows}</table></body></html>"


QUOTE = "お見積り金額：{}円（税込）\nご依頼の際は「正式に依頼します」とご返信ください。"
THANKS = "ご契約ありがとうございます。当日はよろしくお願いいたします。"
REFUSE = (
    "誠に申し訳ございませんが、実行日の3日前までにご契約いただく必要があるため、お受けできません。"
)


def office_mailbox() -> list[bytes | EmailMessage]:
    """A small phone-proxy office's mailbox, October–November 2026 (A = Mon 2026-11-30).

    Holidays: Mon 10-12 (スポーツの日), Tue 11-03 (文化の日), Mon 11-23 (勤労感謝の日).
    Minutes: 5 per inquiry, 20 per quote, 10 per other office mail, 0 per customer mail.
    """
    t = []
    # A01 contracted. Contact form (HTML table, customer in Reply-To). Quote same day, request, contract
    # 10-05 for 10-20 (15 days ahead). 5 + 20 + 10 = 35 min, ¥15,000, quote 0 business days.
    t.append(
        Conversation(
            "a01",
            ("田中 一郎", "ichiro.tanaka@example.jp"),
            "【お問い合わせ】ホームページより",
            via_form=True,
        )
        .customer(
            "10-01 10:12",
            form_html(
                "田中 一郎",
                "東京都品川区1-1",
                "03-1111-0001",
                "2026年10月20日",
                "退職の連絡",
                "退職の意思を伝えてください。",
            ),
            subtype="html",
        )
        .office("10-01 16:00", QUOTE.format("15,000"))
        .customer("10-02 09:00", "内容を確認しました。正式に依頼します。")
        .office("10-05 10:00", THANKS, staff="鈴木")
    )
    # A02 contracted. ISO-2022-JP throughout; 希望日 without a year (→ 2026-10-23). Quote next day
    # (1 business day), contract 10-09 (14 days ahead). 35 min, ¥12,000.
    t.append(
        Conversation(
            "a02",
            ("佐々木 花子", "hanako.sasaki@example.jp"),
            "アルバイト欠勤の連絡について",
            charset="iso-2022-jp",
            cte="7bit",
        )
        .customer(
            "10-06 09:00",
            form(
                "佐々木 花子",
                "千葉県千葉市中央区2-2",
                "043-111-0002",
                "10月23日",
                "欠勤の連絡",
                "アルバイト先に欠勤の連絡をお願いしたいです。",
            ),
        )
        .office("10-07 11:00", QUOTE.format("12,000"))
        .customer("10-08 12:00", "お願いすることにしました。よろしくお願いします。")
        .office("10-09 10:00", THANKS)
    )
    # A03 contracted. Shift_JIS, 8bit, and no threading headers: the replies join by subject
    # ('Re:', 'RE：', '返信: ' removed). Received Fri 10-09, quote Tue 10-13 (10-12 is a holiday):
    # 1 business day. Contract 10-15 for 10-30. 35 min, ¥9,800.
    t.append(
        Conversation(
            "a03",
            ("高橋 健", "ken.takahashi@example.jp"),
            "見積もり依頼（内定辞退）",
            charset="shift_jis",
            cte="8bit",
            headers=False,
        )
        .customer(
            "10-09 14:00",
            form(
                "高橋 健",
                "埼玉県川口市3-3",
                "048-111-0003",
                "2026/10/30",
                "内定辞退",
                "内定辞退の連絡をお願いします。",
            ),
        )
        .office("10-13 10:00", QUOTE.format("9,800"))
        .customer("10-14 09:00", "その内容で契約します。", prefix="RE：")
        .office("10-15 10:00", "正式契約となりました。" + THANKS, prefix="返信: ")
    )
    # A04 contracted. Name only in the display name; quoted-printable. Quote ¥18,000 (1 business day),
    # a question and an answer, request, contract 10-19 for 11-07. 5 + 20 + 10 + 10 = 45 min.
    t.append(
        Conversation(
            "a04",
            ("小林 誠", "makoto.kobayashi@example.jp"),
            "退職代行の相談",
            cte="quoted-printable",
        )
        .customer(
            "10-14 20:30",
            "ご住所：神奈川県川崎市4-4\n電話先番号：044-111-0004\n希望日：2026年11月7日\n\n会社への退職の連絡をお願いできますか。",
        )
        .office("10-15 09:30", "お見積り金額：￥18,000（税込）", staff="鈴木")
        .customer("10-15 13:00", "土曜日でも電話してもらえますか？")
        .office("10-15 15:00", "はい、土曜日も対応しております。", staff="鈴木")
        .customer("10-16 09:00", "では正式にお願いします。")
        .office("10-19 10:00", THANKS, staff="鈴木")
    )
    # A05 contracted. The quote states several amounts (total ¥13,000); the customer answers in HTML
    # with Gmail's quoted block. Quote same day, contract 10-23 for 11-10. 35 min.
    t.append(
        Conversation("a05", ("伊藤 美咲", "misaki.ito@example.jp"), "深夜の連絡代行について")
        .customer(
            "10-20 11:00",
            form(
                "伊藤 美咲",
                "東京都世田谷区5-5",
                "03-1111-0005",
                "11月10日",
                "欠勤の連絡",
                "夜勤先への連絡をお願いします。",
            ),
        )
        .office("10-20 17:00", "基本料金 10,000円\n深夜割増 3,000円\n合計 13,000円")
        .customer(
            "10-22 08:00",
            "<div>正式に依頼します。</div><div class='gmail_quote'><div class='gmail_attr'>2026年10月20日(火) 17:00 電話代行オフィス 佐藤 &lt;sato@daiko-office.example.jp&gt;:</div><blockquote class='gmail_quote'>合計 13,000円</blockquote></div>",
            subtype="html",
        )
        .office("10-23 09:00", THANKS)
    )
    # A06 contracted. The customer writes from New York (-0500): 10-26 21:00 there is 10-27 11:00 in
    # Japan. Quote 10-27, request, contract 10-29 for 11-16. 35 min, ¥20,000.
    new_york = timezone(timedelta(hours=-5))
    t.append(
        Conversation("a06", ("渡辺 翔", "sho.watanabe@example.com"), "海外からの依頼です")
        .customer(
            "10-27 11:00",
            form(
                "渡辺 翔",
                "東京都中野区6-6",
                "03-1111-0006",
                "2026-11-16",
                "退職の連絡",
                "日本の会社に退職の連絡をお願いします。",
            ),
            tz=new_york,
        )
        .office("10-27 15:00", QUOTE.format("20,000"))
        .customer("10-28 10:00", "契約します。", tz=new_york)
        .office("10-29 09:00", THANKS)
    )
    # A07 contracted_against_rules (LATE_CONTRACT): the request 11-10 and contract 11-11 for the call
    # on 11-12 (1 day ahead). 35 min, ¥11,000.
    t.append(
        Conversation("a07", ("山本 大輔", "daisuke.yamamoto@example.jp"), "有給休暇の申請の連絡")
        .customer(
            "11-04 10:00",
            form(
                "山本 大輔",
                "大阪府堺市7-7",
                "072-111-0007",
                "2026年11月12日",
                "欠勤の連絡",
                "有給休暇の連絡をお願いします。",
            ),
        )
        .office("11-04 15:00", QUOTE.format("11,000"))
        .customer("11-10 09:00", "遅くなりましたが正式に依頼します。")
        .office("11-11 10:00", THANKS)
    )
    # A08 contracted_against_rules (MISSING_ADDRESS): no address given. Contract 11-09 for 12-03,
    # so it is an upcoming call on 11-30. 35 min, ¥8,000.
    t.append(
        Conversation("a08", ("中村 優", "yu.nakamura@example.jp"), "連絡代行のお願い")
        .customer(
            "11-05 12:00",
            form(
                "中村 優",
                "",
                "03-1111-0008",
                "2026年12月3日",
                "退職の連絡",
                "よろしくお願いします。",
            ),
        )
        .office("11-06 10:00", QUOTE.format("8,000"), staff="鈴木")
        .customer("11-06 14:00", "お願いすることにしました。")
        .office("11-09 10:00", THANKS, staff="鈴木")
    )
    # A09 cancelled: contract 10-23, then 「キャンセルさせてください」 on 11-02. Converted (cancelled or
    # not) but not contracted. 35 min.
    t.append(
        Conversation("a09", ("加藤 陽子", "yoko.kato@example.jp"), "退職の連絡代行")
        .customer(
            "10-21 09:00",
            form(
                "加藤 陽子",
                "愛知県名古屋市9-9",
                "052-111-0009",
                "2026年11月13日",
                "退職の連絡",
                "よろしくお願いします。",
            ),
        )
        .office("10-21 14:00", QUOTE.format("14,000"))
        .customer("10-22 10:00", "正式に依頼します。")
        .office("10-23 10:00", THANKS)
        .customer("11-02 09:00", "申し訳ありません。会社と話がついたのでキャンセルさせてください。")
    )
    # A10 declined_by_customer. Received Fri 10-02, quote Mon 10-05 (1 business day); the decline
    # comes without threading headers, subject '返信: Re: …'. 5 + 20 = 25 min.
    t.append(
        Conversation(
            "a10",
            ("吉田 拓也", "takuya.yoshida@example.jp"),
            "見積もりをお願いします",
            headers=False,
        )
        .customer(
            "10-02 15:00",
            form(
                "吉田 拓也",
                "東京都練馬区10-10",
                "03-1111-0010",
                "2026年10月30日",
                "退職の連絡",
                "見積もりをお願いします。",
            ),
        )
        .office("10-05 10:00", QUOTE.format("10,000"))
        .customer("10-06 09:00", "今回は見送ります。ありがとうございました。", prefix="返信: Re: ")
    )
    # A11 declined_by_customer, with the quote quoted under a Gmail attribution and a signature.
    # Quote Mon 10-19 for an inquiry of Fri 10-16 (1 business day). 25 min.
    t.append(
        Conversation("a11", ("山口 恵", "megumi.yamaguchi@example.jp"), "欠勤連絡の代行")
        .customer(
            "10-16 18:00",
            form(
                "山口 恵",
                "福岡県福岡市11-11",
                "092-111-0011",
                "2026年11月5日",
                "欠勤の連絡",
                "よろしくお願いします。",
            ),
        )
        .office("10-19 09:00", QUOTE.format("16,000"))
        .customer(
            "10-19 20:00",
            "他社に依頼することにしました。\n-- \n山口 恵\n\n2026年10月19日(月) 9:00 電話代行オフィス 佐藤 <sato@daiko-office.example.jp>:\n> お見積り金額：16,000円（税込）\n> ご依頼の際は「正式に依頼します」とご返信ください。",
        )
    )
    # A12 declined_by_customer: Outlook-style reply below '-----Original Message-----'. 25 min.
    t.append(
        Conversation("a12", ("松本 直樹", "naoki.matsumoto@example.jp"), "Re: 依頼の相談")
        .customer(
            "11-02 10:00",
            form(
                "松本 直樹",
                "京都府京都市12-12",
                "075-111-0012",
                "2026年11月27日",
                "内定辞退",
                "相談です。",
            ),
        )
        .office("11-02 16:00", QUOTE.format("9,000"))
        .customer(
            "11-04 09:00",
            "やはり今回は見送らせていただきます。\n\n-----Original Message-----\nFrom: 電話代行オフィス 佐藤\nSent: Monday, November 2, 2026 4:00 PM\n\nお見積り金額：9,000円（税込）",
        )
    )
    # A13 rejected_urgent (SHORT_NOTICE): 希望日 the next day. The office refuses (staff_work, no
    # quote). 5 + 10 = 15 min.
    t.append(
        Conversation("a13", ("井上 亮", "ryo.inoue@example.jp"), "急ぎの依頼")
        .customer(
            "10-08 19:00",
            form(
                "井上 亮",
                "東京都台東区13-13",
                "03-1111-0013",
                "2026年10月9日",
                "欠勤の連絡",
                "よろしくお願いします。",
            ),
        )
        .office("10-09 09:00", REFUSE)
    )
    # A14 rejected_urgent: 希望日 「11/13 午前10時」 (→ 2026-11-13 10:00), received 11-12. 15 min.
    t.append(
        Conversation("a14", ("木村 彩", "aya.kimura@example.jp"), "欠勤の連絡をお願いしたい")
        .customer(
            "11-12 08:00",
            form(
                "木村 彩",
                "東京都北区14-14",
                "03-1111-0014",
                "11/13 午前10時",
                "欠勤の連絡",
                "よろしくお願いします。",
            ),
        )
        .office("11-12 10:00", REFUSE, staff="鈴木")
    )
    # A15 rejected_late_request (+ silent): quote 10-26, no word for 3 weeks, then the request on
    # 11-19 for the call on 11-20; the office refuses. 5 + 20 + 10 = 35 min. Silent flag: yes.
    # Its 'Ｒｅ：' reply has no threading headers.
    t.append(
        Conversation(
            "a15", ("林 大地", "daichi.hayashi@example.jp"), "退職連絡の見積もり", headers=False
        )
        .customer(
            "10-26 10:00",
            form(
                "林 大地",
                "東京都大田区15-15",
                "03-1111-0015",
                "2026年11月20日",
                "退職の連絡",
                "見積もりをお願いします。",
            ),
        )
        .office("10-26 15:00", QUOTE.format("12,500"))
        .customer("11-19 09:00", "正式に依頼します。明日お願いできますか。", prefix="Ｒｅ：")
        .office("11-19 15:00", REFUSE)
    )
    # A16 silent: quote 10-14, nothing after. 25 min.
    t.append(
        Conversation("a16", ("清水 楓", "kaede.shimizu@example.jp"), "見積もりのお願い", cte="8bit")
        .customer(
            "10-13 10:00",
            form(
                "清水 楓",
                "静岡県静岡市16-16",
                "054-111-0016",
                "2026年12月15日",
                "退職の連絡",
                "見積もりをお願いします。",
            ),
        )
        .office("10-14 11:00", QUOTE.format("10,000"))
    )
    # A17 silent, no requested date (the message names no time): quote 10-29, nothing after. 25 min.
    t.append(
        Conversation("a17", ("森 悠人", "yuto.mori@example.jp"), "相談させてください")
        .customer(
            "10-28 13:00",
            form(
                "森 悠人",
                "北海道札幌市17-17",
                "011-111-0017",
                "",
                "退職の連絡",
                "退職の意思を会社に伝えていただきたいです。日程は未定です。",
            ),
        )
        .office("10-29 10:00", QUOTE.format("12,000"))
    )
    # A18 silent: the office's reminder on 11-17 is no customer contact. 5 + 20 + 10 = 35 min.
    t.append(
        Conversation("a18", ("池田 真央", "mao.ikeda@example.jp"), "連絡代行の見積もり")
        .customer(
            "11-09 10:00",
            form(
                "池田 真央",
                "兵庫県神戸市18-18",
                "078-111-0018",
                "2026年12月20日",
                "欠勤の連絡",
                "見積もりをお願いします。",
            ),
        )
        .office("11-10 10:00", QUOTE.format("15,000"))
        .office("11-17 10:00", "その後ご検討状況はいかがでしょうか。")
    )
    # A19 silent, quoted late: received Fri 11-13, quote Wed 11-18 = 3 business days (SLA missed);
    # 11-18 + 7 days is before the end of 11-30, so judged. 25 min.
    t.append(
        Conversation("a19", ("橋本 蓮", "ren.hashimoto@example.jp"), "見積もり希望")
        .customer(
            "11-13 10:00",
            form(
                "橋本 蓮",
                "広島県広島市19-19",
                "082-111-0019",
                "2026年12月24日",
                "退職の連絡",
                "見積もりをお願いします。",
            ),
        )
        .office("11-18 10:00", QUOTE.format("9,500"), staff="鈴木")
    )
    # A20 expired: a form mail nobody answered; its day (10-28) has passed. 5 min.
    t.append(
        Conversation(
            "a20",
            ("阿部 葵", "aoi.abe@example.jp"),
            "【お問い合わせ】ホームページより",
            via_form=True,
        ).customer(
            "10-05 11:00",
            form_html(
                "阿部 葵",
                "宮城県仙台市20-20",
                "022-111-0020",
                "2026年10月28日",
                "退職の連絡",
                "よろしくお願いします。",
            ),
            subtype="html",
        )
    )
    # A21 expired: quoted, the customer asks a question and sends a PDF (attachment only: a customer
    # reply), no contract; the call day 12-01 is fewer than 3 days after A. 5 + 20 + 10 = 35 min.
    t.append(
        Conversation("a21", ("石川 結衣", "yui.ishikawa@example.jp"), "退職の連絡代行について")
        .customer(
            "11-16 10:00",
            form(
                "石川 結衣",
                "石川県金沢市21-21",
                "076-111-0021",
                "2026年12月1日",
                "退職の連絡",
                "よろしくお願いします。",
            ),
        )
        .office("11-17 10:00", QUOTE.format("13,000"))
        .customer("11-18 09:00", "支払い方法を教えてください。")
        .office("11-18 15:00", "銀行振込でお願いしております。")
        .attachment("11-19 09:00", "委任状.pdf")
    )
    # A22 incomplete (MISSING_TARGET_PHONE), no quote yet: the office asks for the number. Received Tue
    # 11-24, the quote was due 11-26: overdue on 11-30. 5 + 10 = 15 min.
    t.append(
        Conversation(
            "a22", ("山崎 颯", "hayate.yamazaki@example.jp"), "退職の連絡をお願いしたいです"
        )
        .customer(
            "11-24 10:00",
            form(
                "山崎 颯",
                "東京都杉並区22-22",
                "",
                "",
                "退職の連絡",
                "会社に退職の連絡をしてほしいです。",
            ),
        )
        .office("11-24 15:00", "お電話先の番号を教えていただけますか。")
    )
    # A23 incomplete (MISSING_ADDRESS), quoted 11-25 (not judged yet; follow up on 11-28 or later). 25 min.
    t.append(
        Conversation("a23", ("森田 咲", "saki.morita@example.jp"), "見積もりお願いします")
        .customer(
            "11-25 09:00",
            form(
                "森田 咲",
                "",
                "03-1111-0023",
                "2026年12月18日",
                "欠勤の連絡",
                "見積もりをお願いします。",
            ),
        )
        .office("11-25 15:00", QUOTE.format("10,000"))
    )
    # A24 open (AWAITING_CUSTOMER): quoted 11-27 (1 business day); follow up from 11-30. 25 min.
    t.append(
        Conversation("a24", ("岡田 湊", "minato.okada@example.jp"), "依頼の相談")
        .customer(
            "11-26 10:00",
            form(
                "岡田 湊",
                "東京都江東区24-24",
                "03-1111-0024",
                "2026年12月21日",
                "退職の連絡",
                "相談させてください。",
            ),
        )
        .office("11-27 10:00", QUOTE.format("17,000"), staff="鈴木")
    )
    # A25 open (AWAITING_QUOTE): received on A itself; 希望日 「1月15日」 is 2027-01-15. 5 min.
    t.append(
        Conversation("a25", ("前田 凛", "rin.maeda@example.jp"), "年明けの退職連絡").customer(
            "11-30 09:30",
            form(
                "前田 凛",
                "東京都港区25-25",
                "03-1111-0025",
                "1月15日",
                "退職の連絡",
                "年明けにお願いしたいです。",
            ),
        )
    )
    # A26 open: quoted 11-19, the customer asks a question on 11-24 (within 7 days), not yet
    # decided; the call is on 12-10. 25 min.
    t.append(
        Conversation("a26", ("藤田 隼", "shun.fujita@example.jp"), "連絡代行の料金")
        .customer(
            "11-19 10:00",
            form(
                "藤田 隼",
                "千葉県船橋市26-26",
                "047-111-0026",
                "2026年12月10日",
                "欠勤の連絡",
                "料金を教えてください。",
            ),
        )
        .office("11-19 16:00", QUOTE.format("14,000"))
        .customer("11-24 10:00", "家族と相談してから決めます。")
    )
    mails = [m for c in t for m in c.mails]
    # Not inquiries: a newsletter and a customer's answer to it, an internal mail, a spam, a bounce,
    # a shop's mailing, and a message in an unknown charset.
    internal = Conversation("n02", ("鈴木", "suzuki@daiko-office.example.jp"), "来月のシフト")
    internal.office("10-30 18:00", "来月のシフト表を送ります。", prefix="")
    mails += internal.mails
    mails += [
        raw_mail(
            sender=("電話代行オフィス", OFFICE),
            to=("お客様各位", OFFICE),
            subject="【お知らせ】年末年始の営業について",
            body="12月29日から1月3日まで休業いたします。",
            when=at("2026-11-20 10:00"),
            message_id="<news1@daiko-office.example.jp>",
        ),
        raw_mail(
            sender=("佐藤 一", "hajime.sato@example.jp"),
            subject="Re: 【お知らせ】年末年始の営業について",
            body="承知しました。",
            when=at("2026-11-20 12:00"),
            message_id="<news1-re@example.jp>",
            in_reply_to="<news1@daiko-office.example.jp>",
        ),
        raw_mail(
            sender=("", "offer@spam.example"),
            subject="高収入のご案内",
            when=at("2026-10-15 03:00"),
            message_id="<spam1@spam.example>",
            extra=(("X-Gmail-Labels", "Spam,Unread"),),
        ),
        raw_mail(
            sender=("Mail Delivery Subsystem", "MAILER-DAEMON@mx.example.net"),
            subject="Undelivered Mail Returned to Sender",
            when=at("2026-11-17 10:05"),
            message_id="<bounce1@mx.example.net>",
        ),
        raw_mail(
            sender=("文具ショップ", "news@shop.example"),
            subject="秋のセールのお知らせ",
            when=at("2026-11-01 07:00"),
            message_id="<sale1@shop.example>",
            extra=(("List-Unsubscribe", "<mailto:unsubscribe@shop.example>"),),
        ),
        raw_mail(
            sender=("", "someone@example.jp"),
            subject="問い合わせ",
            charset="x-mystery",
            cte="8bit",
            body_bytes=b"\x93\xfa\x96\x7b\x8c\xea",
            when=at("2026-11-10 12:00"),
            message_id="<mystery@example.jp>",
        ),
    ]
    return mails


@pytest.mark.slow
def test_a_small_offices_two_months_end_to_end(tmp_path: Path):
    mails = office_mailbox()
    # Google Takeout's order is not the order of the mails: write them scrambled, and the inquiry of
    # A01 also into a second export (a duplicate).
    scrambled = sorted(
        mails, key=lambda m: hashlib.sha256(m if isinstance(m, bytes) else m.as_bytes()).digest()
    )
    all_mail = write_mbox(tmp_path / "All mail Including Spam and Trash.mbox", scrambled)
    inbox = write_mbox(tmp_path / "Inbox.mbox", [mails[0]])
    out = tmp_path / "logs"
    result = convert_mailbox([all_mail, inbox], out, SETTINGS)

    # Events per thread (its messages after the first): A01 3, A02 3, A03 3, A04 5, A05 3, A06 3,
    # A07 3, A08 3, A09 4, A10 2, A11 2, A12 2, A13 1, A14 1, A15 3, A16 1, A17 1, A18 2, A19 1,
    # A20 0, A21 4, A22 1, A23 1, A24 1, A25 0, A26 2 = 55, so the 26 inquiry threads hold 81
    # messages. Not used: the newsletter and a customer's answer to it and the internal mail (threads
    # that start outgoing, 3), the spam, the bounce, the shop's mailing, the unknown charset (4) and
    # the duplicate of A01's first mail (1) = 8. 81 + 8 = 89 messages.
    assert result.messages == 89
    assert result.inquiries == 26
    assert result.events == 55
    assert result.skipped == 8
    assert result.event_counts == {
        # quotes: all quoted inquiries (21, see below), one each
        "quote_sent": 21,
        # contracts A01–A09
        "contract_signed": 9,
        # requests A01, A02, A03, A04, A05, A06, A07, A08, A09, A15
        "contract_requested": 10,
        # declines A10, A11, A12; the cancellation A09
        "customer_declined": 3,
        "cancelled": 1,
        # replies A04 (question), A21 (question, PDF), A26
        "customer_reply": 4,
        # other office mails: A04 answer, A13, A14, A15 refusals, A18 reminder, A21 answer, A22 question
        "staff_work": 7,
    }
    assert result.skipped_counts == {
        "thread starts outgoing": 3,
        "label": 1,
        "ignored sender": 1,
        "automatic": 1,
        "unreadable": 1,
        "duplicate": 1,
    }
    review = read_rows(result.review_path)
    assert len(review) == result.messages
    assert sum(r["became"] == "inquiry" for r in review) == 26

    inquiries = {r["inquiry_id"]: r for r in read_rows(result.inquiries_path)}
    a01 = inquiries[inquiry_id_for("<a01.1@example.jp>")]
    assert (a01["customer_name"], a01["customer_email"]) == (
        "田中 一郎",
        "ichiro.tanaka@example.jp",
    )
    a04 = inquiries[inquiry_id_for("<a04.1@example.jp>")]
    assert a04["customer_name"] == "小林 誠"  # the display name
    a06 = inquiries[inquiry_id_for("<a06.1@example.jp>")]
    assert a06["received_at"] == "2026-10-27 11:00:00"
    a14 = inquiries[inquiry_id_for("<a14.1@example.jp>")]
    assert a14["requested_for"] == "2026-11-13 10:00"
    a25 = inquiries[inquiry_id_for("<a25.1@example.jp>")]
    assert a25["requested_for"] == "2027-01-15"

    db = tmp_path / "ops.duckdb"
    loaded = pipelines.load_files([result.inquiries_path, result.quotes_path], db)
    assert sum(p.rows_quarantined for p in loaded.parts) == 0
    con = pipelines.connect(db)
    try:
        report = pipelines.report(con, as_of=date(2026, 11, 30))
        facts = pipelines.inquiry_facts(con, as_of=date(2026, 11, 30))
    finally:
        con.close()

    # By hand, from the comments in office_mailbox():
    # contracted A01–A06 (6); contracted_against_rules A07 (late), A08 (no address) (2); cancelled
    # A09; declined A10–A12 (3); rejected_urgent A13, A14 (2); rejected_late_request A15; silent
    # A16–A19 (4); expired A20, A21 (2); incomplete A22, A23 (2); open A24–A26 (3). 26 in all.
    assert report["status_counts"] == {
        "contracted": 6,
        "contracted_against_rules": 2,
        "cancelled": 1,
        "declined_by_customer": 3,
        "rejected_urgent": 2,
        "rejected_late_request": 1,
        "silent": 4,
        "expired": 2,
        "incomplete": 2,
        "open": 3,
    }
    assert report["inquiries"] == 26
    # quoted: all but A13, A14, A20, A22, A25 → 21; converted: A01–A09 → 9 (A09 cancelled counts).
    assert report["quoted"] == 21
    assert report["converted"] == 9
    assert report["conversion_rate"] == pytest.approx(9 / 26)
    # judged: quoted before 11-24 00:00 (first quote + 7 days before the end of 11-30): all quoted but
    # A23 (11-25) and A24 (11-27) → 19. Silent among them: A15 (came back after 3 weeks), A16, A17,
    # A18 (only the office wrote), A19 → 5.
    assert report["judged_quotes"] == 19
    assert report["silent"] == 5
    assert report["silent_after_quote_rate"] == pytest.approx(5 / 19)
    assert report["urgent_requests"] == 2  # A13, A14 (A17 and A22 name no day and no haste)
    # Non-converting: declined A10 25 + A11 25 + A12 25; urgent A13 15 + A14 15; late A15 35; silent
    # A16 25 + A17 25 + A18 35 + A19 25; expired A20 5 + A21 35 → 12 inquiries, 290 minutes.
    assert report["nonconverting_inquiries"] == 12
    assert report["staff_minutes_nonconverting"] == 290
    assert report["staff_minutes_per_nonconverting_inquiry"] == pytest.approx(290 / 12)
    # Quote SLA: every first quote within 2 business days but A19's (3) → 20 of 21.
    assert report["quote_sla_rate"] == pytest.approx(20 / 21)
    # Contracted amount: 15,000 + 12,000 + 9,800 + 18,000 + 13,000 + 20,000 (A01–A06) + 11,000 (A07)
    # + 8,000 (A08) = 106,800.
    assert report["contracted_amount_jpy"] == 106_800
    # Staff lists for 11-30: A08's call on 12-03 is upcoming; A22's quote (due 11-26) is overdue; A23
    # and A24 (quoted 11-25 and 11-27, no word since) need a follow-up; no call today.
    assert report["upcoming_calls"] == 1
    assert (report["quote_due_today"], report["quote_overdue"]) == (1, 1)
    assert report["follow_up_today"] == 2
    assert report["eligible_today"] == 0
    assert report["quarantined_rows"] == 0
    # Staff minutes over all 26: contracted 35+35+35+45+35+35 = 220, against the rules 70, cancelled
    # 35, non-converting 290, incomplete 15 + 25 = 40, open 25 + 5 + 25 = 55 → 710.
    assert int(facts["staff_minutes"].sum()) == 710
    by_id = facts.set_index("inquiry_id")
    assert by_id.loc[inquiry_id_for("<a07.1@example.jp>"), "reason_codes"].tolist() == [
        "LATE_CONTRACT"
    ]
    assert by_id.loc[inquiry_id_for("<a08.1@example.jp>"), "reason_codes"].tolist() == [
        "MISSING_ADDRESS"
    ]
    assert list(by_id.loc[inquiry_id_for("<a15.1@example.jp>"), "reason_codes"]) == [
        "LATE_REQUEST",
        "SILENT_AFTER_QUOTE",
    ]
    assert bool(by_id.loc[inquiry_id_for("<a19.1@example.jp>"), "quote_sla_met"]) is False
