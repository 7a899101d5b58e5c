"""Mailbox import: from a mailbox export to the inquiry log, the quote log and a review sheet.

Many offices keep no log but their mailbox. ``convert_mailbox`` reads ``.mbox`` files (Google Takeout,
Thunderbird) and folders of ``.eml`` files and writes, in the canonical format (UTF-8 with BOM, English
headers, every value quoted), an inquiry log, a quote log and a review sheet with one row per message:
its thread, its direction, what it became and why. The rules are the SPEC's ("Mailbox import"), each a
setting of the ``[mailbox]`` table (``MailboxSettings``); docs/mailbox.md explains them and the
decisions taken where the SPEC is silent. In short:

- a message from one of ``office_addresses`` is outgoing, every other one is a customer's;
- threads follow Message-ID / In-Reply-To / References; a message whose threading headers lead to no
  message of the mailbox joins by subject (reply prefixes removed, NFKC first) and customer address;
- a thread that starts with an outgoing message is no inquiry; otherwise its first message is the
  inquiry and every later message one event (quote_sent, contract_signed, staff_work,
  customer_declined, cancelled, contract_requested or customer_reply);
- nothing is dropped silently: unreadable, duplicate, automatic and spam messages are review rows with
  their reason. The same mailbox always gives byte-identical files, whatever order it is read in.

Dates are written in Japan time without an offset. ``requested_for`` comes only from a labelled field
(``希望日：…``); the loader reads the message text itself for anything else.
"""

from __future__ import annotations

import codecs
import csv
import email.utils
import hashlib
import io
import mailbox as mailbox_lib
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta, timezone
from email import policy
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from lxml import etree
from lxml import html as lxml_html

from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES, normalize_key
from pipelines.settings import SettingsError

JST = timezone(timedelta(hours=9), "JST")
INQUIRIES_FILE = "mail_inquiries.csv"
QUOTES_FILE = "mail_quote_log.csv"
REVIEW_FILE = "mail_review.csv"
# The review sheet's columns: deliberately none of the logs' required headers besides inquiry_id, so
# the loader refuses it instead of taking it for a log.
REVIEW_COLUMNS = (
    "row",
    "thread",
    "inquiry_id",
    "direction",
    "date",
    "from",
    "to",
    "subject",
    "became",
    "why",
    "why_ja",
    "excerpt",
    "attachments",
    "message_id",
    "source",
)
FIRST_YEAR, LAST_YEAR = 1990, 2100  # the loader's accepted range of dates


# ----------------------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class MailboxSettings:
    """The mailbox import's rules; every field is a key of the ``[mailbox]`` settings table."""

    office_addresses: tuple[str, ...] = ()
    contract_phrases: tuple[str, ...] = (
        "ご契約ありがとうございます",
        "正式契約",
        "契約が成立",
        "ご契約を承りました",
        "ご契約いただきありがとうございます",
        "契約を締結",
        "ご契約が完了",
    )
    decline_phrases: tuple[str, ...] = (
        "今回は見送",
        "他社に依頼",
        "依頼しません",
        "見送らせて",
        "お願いしないことにしました",
        "辞退します",
        "辞退させて",
        "今回はやめておきます",
    )
    cancel_phrases: tuple[str, ...] = (
        "キャンセル",
        "取り消し",
        "取消し",
        "解約",
        "中止してください",
        "中止をお願い",
    )
    request_phrases: tuple[str, ...] = (
        "正式に依頼",
        "お願いすることにしました",
        "契約します",
        "正式にお願い",
        "契約をお願い",
        "申し込みます",
        "申込みます",
    )
    mail_read_minutes: int = 5
    mail_reply_minutes: int = 10
    mail_quote_minutes: int = 20
    # Beyond the SPEC's list (see docs/mailbox.md): mail that is no customer's.
    ignored_senders: tuple[str, ...] = ("mailer-daemon@", "postmaster@")
    skip_labels: tuple[str, ...] = ("Spam", "迷惑メール")
    skip_automatic: bool = True
    channel: str = "メール"


_ADDRESS_ENTRY = re.compile(r"[^@\s]*@[^@\s]*")


def _text_list(table: Mapping[str, object], key: str, source: str) -> tuple[str, ...]:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SettingsError(
            f"{source}: [mailbox] {key} must be a list of non-empty strings, got {value!r}"
        )
    return tuple(v.strip() for v in value)


def mailbox_settings_from_table(table: Mapping[str, object], source: str) -> MailboxSettings:
    """Validate the [mailbox] table of a settings TOML file; ValueError naming source, key and problem."""
    if not isinstance(table, Mapping):
        raise SettingsError(f"{source}: [mailbox] must be a table, got {table!r}")
    known = {f.name: f for f in fields(MailboxSettings)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise SettingsError(
            f"{source}: [mailbox] unknown setting(s): {', '.join(unknown)} "
            f"(known: {', '.join(known)})"
        )
    values: dict[str, object] = {}
    for key in table:
        default = known[key].default
        value = table[key]
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise SettingsError(
                    f"{source}: [mailbox] {key} must be true or false, got {value!r}"
                )
            values[key] = value
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SettingsError(
                    f"{source}: [mailbox] {key} must be a whole number ≥ 0, got {value!r}"
                )
            values[key] = value
        elif isinstance(default, str):
            if not isinstance(value, str) or not value.strip():
                raise SettingsError(
                    f"{source}: [mailbox] {key} must be a non-empty string, got {value!r}"
                )
            values[key] = value.strip()
        elif key in ("office_addresses", "ignored_senders"):
            entries = tuple(e.lower() for e in _text_list(table, key, source))
            bad = [e for e in entries if not _ADDRESS_ENTRY.fullmatch(e) or e == "@"]
            if bad:
                raise SettingsError(
                    f"{source}: [mailbox] {key} entries must be addresses (office@example.jp), "
                    f"domains (@example.jp) or local parts (noreply@), got {bad[0]!r}"
                )
            values[key] = entries
        else:
            values[key] = _text_list(table, key, source)
    return MailboxSettings(**values)


def load_mailbox_settings(path: Path | None) -> MailboxSettings:
    """Read the [mailbox] table of a settings TOML file (None: defaults)."""
    if path is None:
        return MailboxSettings()
    source = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{source}: settings file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{source}: cannot read the settings file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{source}: not valid TOML: {exc}") from None
    return mailbox_settings_from_table(raw.get("mailbox", {}), source)


def _address_matches(address: str, entries: Sequence[str]) -> bool:
    """True when an address is one of entries: a full address, '@domain' or 'localpart@'."""
    address = address.lower()
    local, _, domain = address.rpartition("@")
    for entry in entries:
        if entry.startswith("@"):
            if domain == entry[1:]:
                return True
        elif entry.endswith("@"):
            if local == entry[:-1]:
                return True
        elif address == entry:
            return True
    return False


# ------------------------------------------------------------------------------------------ results


class MailboxError(ValueError):
    """A mailbox path cannot be read at all (message names the path and the problem)."""


@dataclass
class MailboxResult:
    """What convert_mailbox wrote: the three files and how every message was used."""

    inquiries_path: Path
    quotes_path: Path
    review_path: Path
    messages: int
    inquiries: int
    events: int
    skipped: int
    event_counts: dict[str, int] = field(default_factory=dict)
    skipped_counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the terminal: counts, where the files are, what to check."""
        lines = [
            f"Read {self.messages} message(s): {self.inquiries} inquiry(ies), "
            f"{self.events} event(s), {self.skipped} not used (each is on the review sheet)."
        ]
        if self.event_counts:
            lines.append(
                "Events: " + ", ".join(f"{k} {n}" for k, n in sorted(self.event_counts.items()))
            )
        if self.skipped_counts:
            lines.append(
                "Not used: " + ", ".join(f"{k} {n}" for k, n in sorted(self.skipped_counts.items()))
            )
        lines += [f"Warning: {w}" for w in self.warnings]
        lines += [
            f"Inquiry log: {self.inquiries_path}",
            f"Quote log:   {self.quotes_path}",
            f"Review:      {self.review_path}",
            "Check the review sheet, then load the two logs with `python -m pipelines load`.",
        ]
        return "\n".join(lines)


# ------------------------------------------------------------------------------------- text decoding


class _Unreadable(Exception):
    """A message (or its text) cannot be read; the argument is the (en, ja) reason."""


_CODEC_CHAINS = {
    "iso2022_jp": ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_ext", "cp50220"),
    "iso2022_jp_1": ("iso2022_jp_1", "iso2022_jp_2", "cp50220"),
    "iso2022_jp_2": ("iso2022_jp_2", "cp50220"),
    "iso2022_jp_3": ("iso2022_jp_3", "iso2022_jp_2004", "cp50220"),
    "iso2022_jp_ext": ("iso2022_jp_ext", "cp50220"),
    "shift_jis": ("cp932", "shift_jis_2004"),
    "cp932": ("cp932", "shift_jis_2004"),
    "shift_jis_2004": ("shift_jis_2004", "cp932"),
    "shift_jisx0213": ("shift_jisx0213", "cp932"),
    "euc_jp": ("euc_jp", "euc_jis_2004"),
    "utf-8": ("utf-8-sig",),
}


def _jis_to_cp932(data: bytes) -> str:
    """ISO-2022-JP as Microsoft writes it (CP50220: with ①, ㈱ and the like) through CP932."""
    out = bytearray()
    mode = "ascii"
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == 0x1B:
            seq = data[i : i + 4]
            if seq[:3] in (b"\x1b$B", b"\x1b$@"):
                mode, i = "jis", i + 3
            elif seq in (b"\x1b$(Q", b"\x1b$(O"):
                mode, i = "jis", i + 4
            elif seq[:3] in (b"\x1b(B", b"\x1b(J"):
                mode, i = "ascii", i + 3
            elif seq[:3] == b"\x1b(I":
                mode, i = "kana", i + 3
            else:
                raise UnicodeDecodeError("cp50220", data, i, i + 1, "unknown escape")
            continue
        if byte in (0x0A, 0x0D) or mode == "ascii":
            out.append(byte)
            i += 1
        elif mode == "kana":
            if not 0x21 <= byte <= 0x5F:
                raise UnicodeDecodeError("cp50220", data, i, i + 1, "not a kana byte")
            out.append(byte + 0x80)
            i += 1
        else:
            if i + 1 >= len(data) or not (0x21 <= byte <= 0x7E and 0x21 <= data[i + 1] <= 0x7E):
                raise UnicodeDecodeError("cp50220", data, i, i + 1, "not a JIS pair")
            j1, j2 = byte, data[i + 1]
            s1 = ((j1 - 0x21) >> 1) + 0x81
            if s1 > 0x9F:
                s1 += 0x40
            s2 = (j2 + 0x1F + (j2 >= 0x60)) if j1 % 2 else j2 + 0x7E
            out += bytes((s1, s2))
            i += 2
    return out.decode("cp932")


def _decode_with(data: bytes, codec: str) -> str:
    if codec == "cp50220":
        return _jis_to_cp932(data)
    return data.decode(codec)


def _decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Text from bytes in a declared charset, strictly; (text, codec used). Raises _Unreadable.

    An undeclared (or us-ascii) charset on bytes that are not ASCII is read as ISO-2022-JP when it has
    its escape sequences, else as the first of UTF-8, CP932, EUC-JP that decodes the bytes exactly.
    """
    name = (charset or "").strip().strip("\"'").lower().split("*")[0]
    if b"\x1b$" in data and name in ("", "us-ascii", "ascii", "unknown-8bit", "x-unknown"):
        name = "iso-2022-jp"
    if name in ("", "us-ascii", "ascii", "unknown-8bit", "x-unknown", "8bit", "default"):
        if data.isascii():
            return data.decode("ascii"), None
        chain: tuple[str, ...] = ("utf-8-sig", "cp932", "euc_jp")
    else:
        try:
            codec = codecs.lookup(name).name
        except (LookupError, ValueError):  # ValueError: a NUL in the name
            raise _Unreadable(
                (f"unknown character set {charset!r}", f"不明な文字コード {charset!r}")
            ) from None
        chain = _CODEC_CHAINS.get(codec, (codec,))
    for codec in chain:
        try:
            return _decode_with(data, codec), codec
        except (UnicodeDecodeError, UnicodeError, LookupError):
            continue
    if not charset:
        raise _Unreadable(
            (
                "the text declares no charset and is not UTF-8, CP932 (Shift_JIS) or EUC-JP",
                "本文の文字コードの指定がなく、UTF-8・CP932（Shift_JIS）・EUC-JP のどれでも読めません",
            )
        )
    raise _Unreadable(
        (
            f"the text is not valid {charset} (bytes that no Japanese encoding reads)",
            f"本文が {charset} として読めません（文字化けしたバイト列）",
        )
    )


def _decode_8bit(value: str) -> tuple[str, bool]:
    """A raw header value that may carry undeclared 8-bit bytes or ISO-2022-JP escapes; (text, ok)."""
    if value.isascii() and "\x1b" not in value:
        return value, True
    data = value.encode("utf-8", "surrogateescape")
    try:
        return _decode_bytes(data, None)[0], True
    except _Unreadable:
        return data.decode("utf-8", "replace"), False


def _decode_words(text: str) -> tuple[str, bool]:
    """Decode RFC 2047 encoded words (=?charset?B|Q?...?=) in a header value; (text, ok)."""
    if "=?" not in text:
        return text, True
    ok = True
    parts: list[str] = []
    try:
        chunks = decode_header(text)
    except Exception:  # a malformed encoded word: keep the raw text
        return text, False
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(chunk)
        elif charset is None:
            parts.append(chunk.decode("raw-unicode-escape", "replace"))
        else:
            try:
                parts.append(_decode_bytes(chunk, charset)[0])
            except _Unreadable:
                parts.append(chunk.decode("utf-8", "replace"))
                ok = False
    return "".join(parts), ok


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value).replace("\r", "").replace("\n", "")


# ----------------------------------------------------------------------------------- text cleaning

_HTML_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=False, display_images=False)
# Elements that hold quoted earlier mails or signatures in Gmail, Thunderbird, Apple Mail, Outlook.
_HTML_DROP = (
    "//blockquote",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_attr ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-cite-prefix ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-signature ')]",
    "//*[@id='divRplyFwdMsg' or @id='appendonsend' or @id='signature']",
)


def _html_to_text(html: str) -> str:
    """HTML mail as plain text: quoted blocks and signatures dropped, table rows kept as 'label：value'."""
    html = _CONTROL.sub("", re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
    if not html.strip():
        return ""
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        tree = lxml_html.document_fromstring("<pre>" + html + "</pre>")
    for xpath in _HTML_DROP:
        for element in tree.xpath(xpath):
            if element.get("id") in ("divRplyFwdMsg", "appendonsend"):
                for later in list(element.itersiblings()):
                    later.drop_tree()
            if element.getparent() is not None:
                element.drop_tree()
    # Contact forms lay fields out as <tr><th>お名前</th><td>山田</td></tr>: mark the label with '：'
    # so the field reads like the plain-text form 'お名前：山田'.
    for row in tree.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        if len(cells) == 2:
            label = cells[0].text_content().strip()
            known = cells[0].tag == "th" or normalize_key(label) in _ALL_LABELS
            if label and known and not label.endswith((":", "：")):
                cells[0].append(lxml_html.fromstring("<span>：</span>"))
    text = Inscriptis(tree, _HTML_CONFIG).get_text()
    return "\n".join(line.rstrip() for line in text.splitlines())


_ATTRIBUTION = re.compile(
    r"(\bwrote\s*:|のメッセージ\s*:|書きました\s*:|>\s*:|\bschrieb\s*:|\ba écrit\s*:)\s*$", re.I
)
_ATTRIBUTION_START = re.compile(r"^(on\s|\d{4}[年/-]|\d{1,2}/\d{1,2}/\d{2,4})", re.I)
_ORIGINAL_MARK = re.compile(
    r"^[-_=\s]*(original message|元のメッセージ|転送済みメッセージ|オリジナルメッセージ)[-_=\s]*$",
    re.I,
)
_OUTLOOK_FROM = re.compile(r"^\s*(from|差出人|送信者)\s*:", re.I)
_OUTLOOK_SENT = re.compile(r"^\s*(sent|date|送信日時|日付|日時)\s*:", re.I)


def _is_quoted(line: str) -> bool:
    return unicodedata.normalize("NFKC", line).lstrip().startswith(">")


def _clean_text(text: str) -> str:
    """The new text of a mail: quoted earlier mails ('>' lines, '… wrote:' blocks) and signatures cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    keep: list[str] = []
    for index, line in enumerate(lines):
        folded = unicodedata.normalize("NFKC", line).strip()
        if folded in ("--", "-- "):
            break  # signature delimiter: the rest is the signature
        if _ORIGINAL_MARK.match(folded):
            break
        if _OUTLOOK_FROM.match(folded) and any(
            _OUTLOOK_SENT.match(unicodedata.normalize("NFKC", later))
            for later in lines[index + 1 : index + 5]
        ):
            while keep and re.fullmatch(r"[_\-=\s]*", keep[-1]) and keep[-1].strip():
                keep.pop()
            break
        if _ATTRIBUTION.search(folded) and not _is_quoted(line):
            following = [later for later in lines[index + 1 :] if later.strip()]
            # a wrapped attribution ('On Thu, … <a@' / 'example.jp> wrote:') starts a line earlier
            if keep and keep[-1].strip() and _ATTRIBUTION_START.match(keep[-1].strip()):
                keep.pop()
            if following and _is_quoted(following[0]):
                continue  # quoted lines follow: drop the attribution, keep answers between quotes
            break  # an Outlook-style block without '>': everything below is the earlier mail
        if _is_quoted(line):
            continue
        keep.append(line)
    cleaned = "\n".join(keep)
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return cleaned.strip()


def _fold(text: str) -> str:
    """NFKC and case-fold, for matching phrases."""
    return unicodedata.normalize("NFKC", text).casefold()


def _first_phrase(text: str, phrases: Sequence[str]) -> str | None:
    folded = _fold(text)
    for phrase in phrases:
        if _fold(phrase) in folded:
            return phrase
    return None


# -------------------------------------------------------------------------------- labelled fields

_FIELDS = (
    "customer_name",
    "customer_address",
    "customer_email",
    "target_phone",
    "requested_for",
    "service",
)
_ALL_LABELS = {
    normalize_key(spelling)
    for canonical, spellings in INQUIRY_ALIASES.items()
    for spelling in (canonical, *spellings)
}
_LABELS: dict[str, str] = {
    normalize_key(spelling): canonical
    for canonical in _FIELDS
    for spelling in (canonical, *INQUIRY_ALIASES[canonical])
}
_OPEN, _CLOSE = "【\\[［「〔(（<＜", "】\\]］」〕)）>＞"
# 'お名前：山田', '■ご住所: …', 'メール（必須）：…', '【お名前】山田' (a bracketed label needs no colon).
# Matched on the line as written, full-width and half-width alike, so the value keeps its own width.
_LABEL_LINE = re.compile(
    rf"^[\s■□◆◇●○・*＊\-－►▶▼◎☆★]*"
    rf"(?:[{_OPEN}]\s*(?P<blabel>[^{_OPEN}{_CLOSE}:：]{{1,24}}?)\s*[{_CLOSE}]\s*[:：]?"
    rf"|(?P<label>[^{_OPEN}{_CLOSE}:：]{{1,24}}?(?:[(（][^)）:：]{{1,12}}[)）])?)\s*[*＊※]?\s*[:：])"
    rf"\s*(?P<value>.*)$"
)


def _line_label(line: str) -> tuple[str, str, str] | None:
    """(canonical field, label, value) of a labelled line, or None."""
    match = _LABEL_LINE.match(line)
    if not match:
        return None
    label = (match.group("blabel") or match.group("label") or "").strip()
    canonical = _label_field(label)
    return (canonical, label, match.group("value").strip()) if canonical else None


def _label_field(label: str) -> str | None:
    """The canonical field a label names ('お名前', '【ご住所】', 'お名前(必須)'), or None."""
    key = normalize_key(label)
    key = re.sub(r"\((必須|任意|required|optional|\*)\)$|[*※]$", "", key)
    return _LABELS.get(key.strip("【】[]「」〔〕■□◆◇●○・*-"))


def _labelled_fields(text: str) -> dict[str, tuple[str, str]]:
    """Fields written 'label：value' in a body (first of each); field -> (label, value)."""
    found: dict[str, tuple[str, str]] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        labelled = _line_label(line)
        if labelled is None or labelled[0] in found:
            continue
        canonical, label, value = labelled
        if not value:  # 'ご住所：' with the value on the next line
            following = [later.strip() for later in lines[index + 1 : index + 3] if later.strip()]
            if following and _line_label(following[0]) is None:
                value = following[0]
        if value:
            found[canonical] = (label, value)
    return found


_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_FULL_DATE = re.compile(
    r"(?P<y>\d{4}|(?:令和|平成|R|H)\s*(?:\d{1,2}|元))\s*[-/年.]\s*(?P<m>\d{1,2})\s*[-/月.]\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*日?",
    re.I,
)
_SHORT_DATE = re.compile(r"(?<![\d/.\-])(?P<m>\d{1,2})\s*(?:/|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?")
_TIME = re.compile(
    r"^\s*(?:\([^)]{1,4}\))?\s*T?\s*(?P<ampm>午前|午後|am|pm)?\s*(?P<h>\d{1,2})\s*(?::|時)\s*"
    r"(?P<mi>\d{1,2}|半)?",
    re.I,
)


def _era_year(text: str) -> int:
    text = text.upper().replace(" ", "")
    if text.isdigit():
        return int(text)
    number = 1 if text.endswith("元") else int(re.sub(r"\D", "", text))
    return (2018 if text[0] in "令R" else 1988) + number


def _requested_for(value: str, received: date) -> tuple[str, tuple[str, str]]:
    """A labelled requested date as 'YYYY-MM-DD[ HH:MM]' (blank when it names no date) and a note.

    A date without a year is the one nearest the received date (「1月5日」 asked on 12-20 is next year's).
    """
    text = unicodedata.normalize("NFKC", value)
    match = _FULL_DATE.search(text)
    year = None
    if match:
        year = _era_year(match.group("y"))
    else:
        match = _SHORT_DATE.search(text)
    if not match:
        return "", (
            f"requested date field 「{value}」 names no date: left blank (the loader reads the message)",
            f"希望日「{value}」は日付ではないため空欄（本文は取り込み時に読まれます）",
        )
    month, day = int(match.group("m")), int(match.group("d"))
    try:
        if year is None:
            options = [
                date(y, month, day) for y in (received.year - 1, received.year, received.year + 1)
            ]
            picked = min(options, key=lambda d: (abs((d - received).days), d))
        else:
            picked = date(year, month, day)
    except ValueError:
        return "", (
            f"requested date field 「{value}」 is not a real date: left blank",
            f"希望日「{value}」は存在しない日付のため空欄",
        )
    if not FIRST_YEAR <= picked.year <= LAST_YEAR:
        return "", (
            f"requested date field 「{value}」 is out of range: left blank",
            f"希望日「{value}」は範囲外のため空欄",
        )
    result = picked.isoformat()
    time = _TIME.match(text[match.end() :])
    if time:
        hour = int(time.group("h"))
        minute = 30 if time.group("mi") == "半" else int(time.group("mi") or 0)
        if (time.group("ampm") or "").lower() in ("午後", "pm") and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            result += f" {hour:02d}:{minute:02d}"
    return result, (
        f"requested date from the field 「{value}」 → {result}",
        f"希望日欄「{value}」→ {result}",
    )


# ------------------------------------------------------------------------------------- amounts

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_AMOUNT = re.compile(
    rf"(?P<man>\d+(?:\.\d+)?)\s*万\s*(?P<rest>\d{{1,4}})?\s*円"
    rf"|[¥\\]\s*(?P<pre>{_NUMBER})"
    rf"|JPY\s*(?P<jpy>{_NUMBER})"
    rf"|(?P<post>{_NUMBER})\s*(?:円|yen\b|JPY\b)",
    re.I,
)
_TOTAL_WORDS = ("合計", "総額", "総計", "total")
_QUOTE_WORDS = ("見積", "金額", "料金", "代金", "費用", "価格", "quote", "price")


def _amounts(text: str) -> list[tuple[int, str]]:
    """Every positive yen amount in a text with the line it is on, in order."""
    found: list[tuple[int, str]] = []
    for line in unicodedata.normalize("NFKC", text).split("\n"):
        for match in _AMOUNT.finditer(line):
            if match.group("man"):
                amount = round(float(match.group("man")) * 10000) + int(match.group("rest") or 0)
            else:
                digits = match.group("pre") or match.group("jpy") or match.group("post")
                amount = int(digits.replace(",", ""))
            if amount > 0:
                found.append((amount, line.strip()))
    return found


def _quoted_amount(text: str) -> tuple[int, str, tuple[str, str] | None] | None:
    """The amount a quote mail states: (amount, its line, a note when several were stated)."""
    found = _amounts(text)
    if not found:
        return None
    distinct = sorted({a for a, _ in found})
    if len(distinct) == 1:
        return found[0][0], found[0][1], None
    totals = [(a, line) for a, line in found if any(w in line.casefold() for w in _TOTAL_WORDS)]
    quotes = [(a, line) for a, line in found if any(w in line.casefold() for w in _QUOTE_WORDS)]
    if totals:
        amount, line = totals[-1]
        how = ("on the line naming the total", "合計の行の金額")
    elif quotes:
        amount, line = quotes[0]
        how = ("the first on a line naming the quote or price", "見積・金額の行の最初の金額")
    else:
        amount = distinct[-1]
        line = next(line for a, line in found if a == amount)
        how = ("the largest", "最大の金額")
    shown = ", ".join(f"{a:,}円" for a in distinct)
    return (
        amount,
        line,
        (
            f"several amounts ({shown}): took {amount:,}円, {how[0]}",
            f"複数の金額（{shown}）：{how[1]} {amount:,}円 を採用",
        ),
    )


# ------------------------------------------------------------------------------------- messages


@dataclass
class _Mail:
    """One message as read from the mailbox, or the reason it cannot be read."""

    source: str
    order: tuple[str, ...] = ()  # where it was in the input, for the review sheet's unused rows
    problem: tuple[str, str] | None = None
    uid: str = ""  # the Message-ID '<…>' or 'no-id:<sha256>' when it has none
    message_id: str = ""
    refs: tuple[str, ...] = ()
    at: datetime | None = None  # Japan time
    sender: str = ""
    sender_name: str = ""
    reply_to: str = ""
    recipients: tuple[str, ...] = ()
    to_text: str = ""
    subject: str = ""
    text: str = ""
    attachments: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    automatic: str = ""  # the header that marks a bulk or automatic mail
    notes: list[tuple[str, str]] = field(default_factory=list)
    outgoing: bool = False

    @property
    def from_text(self) -> str:
        return f"{self.sender_name} <{self.sender}>" if self.sender_name else self.sender

    @property
    def customer(self) -> str:
        """The customer's address of an incoming mail: Reply-To (contact forms) else From."""
        return self.reply_to or self.sender

    def sort_key(self) -> tuple[str, str]:
        """Date order (UTC text, so undated messages sort last), then the id: input order never counts."""
        return (_utc_text(self.at) or "~", self.uid)


def _raw_header(message: EmailMessage, name: str) -> str | None:
    """The first header of that name as written (8-bit bytes kept as surrogates), unfolded."""
    for key, value in message.raw_items():
        if key.lower() == name:
            return _unfold(str(value)).strip()
    return None


def _raw_headers(message: EmailMessage, name: str) -> list[str]:
    return [_unfold(str(v)).strip() for k, v in message.raw_items() if k.lower() == name]


def _plain_header(message: EmailMessage, name: str) -> str | None:
    """A header that holds no encoded words (ids, Precedence, …) as text: 8-bit bytes decoded."""
    raw = _raw_header(message, name)
    return None if raw is None else _decode_8bit(raw)[0]


def _header_text(message: EmailMessage, name: str, notes: list[tuple[str, str]]) -> str:
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    text, ok8 = _decode_8bit(raw)
    text, ok = _decode_words(text)
    if not (ok8 and ok):
        notes.append(
            (f"the {name} header is partly undecodable", f"{name} ヘッダーの一部が読めません")
        )
    return " ".join(text.split())


def _addresses(message: EmailMessage, name: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs of an address header; names RFC 2047 decoded."""
    pairs: list[tuple[str, str]] = []
    for raw in _raw_headers(message, name):
        text, _ = _decode_8bit(raw)
        parsed = email.utils.getaddresses([text])
        if not any("@" in addr for _, addr in parsed):
            parsed = [("", found) for found in _EMAIL.findall(text)]
        for display, addr in parsed:
            if "@" not in addr:
                continue
            display = _decode_words(display)[0].strip().strip('"').strip()
            pairs.append((" ".join(display.split()), addr.strip().lower()))
    return pairs


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    found = re.findall(r"<[^<>\s]+>", value)
    if not found and value.strip() and not re.search(r"\s", value.strip()):
        found = [f"<{value.strip().strip('<>')}>"]
    return found


def _parse_date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    jst_name = re.search(r"\bJST\s*$", text)
    try:
        parsed = email.utils.parsedate_to_datetime(re.sub(r"\bJST\s*$", "+0900", text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # '-0000': UTC with no local zone known (RFC 5322)
        parsed = parsed.replace(tzinfo=JST if jst_name else UTC)
    return parsed.astimezone(JST)


def _body(message: EmailMessage, notes: list[tuple[str, str]]) -> tuple[str, tuple[str, ...]]:
    """The text of a message (HTML converted) and the names of its attachments."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        body = None
    attachments: list[str] = []
    for part in _leaves(message):
        if part is body:
            continue
        inline_text = (
            part.get_content_type() in ("text/plain", "text/html") and not part.is_attachment()
        )
        if inline_text and body is None:
            body = part  # a text part get_body passed over: read it anyway
            continue
        if inline_text:
            continue  # the other alternative of the body
        try:
            name = part.get_filename()
        except Exception:
            name = None
        attachments.append(name or part.get_content_type())
    if body is None:
        return "", tuple(attachments)
    data = body.get_payload(decode=True) or b""
    text, codec = _decode_bytes(data, body.get_param("charset"))
    if body.get_content_subtype() == "html":
        text = _html_to_text(text)
        notes.append(("HTML converted to text", "HTML を文字に変換"))
    if codec and not body.get_param("charset") and not data.isascii():
        notes.append(
            (
                f"no charset declared: read as {codec}",
                f"文字コードの指定なし：{codec} として読みました",
            )
        )
    return text, tuple(attachments)


def _leaves(part: EmailMessage) -> Iterator[EmailMessage]:
    """The parts of a message that hold content; an attached mail (message/rfc822) is one part."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            yield from _leaves(sub)
    else:
        yield part


def _read_message(raw: bytes, source: str, order: tuple[str, ...]) -> _Mail:
    """Parse one message; a message that cannot be read comes back with its problem set."""
    mail = _Mail(source=source, order=order)
    if raw.startswith(b"From ") and b"\n" in raw:  # an .eml saved with its mbox separator line
        raw = raw.split(b"\n", 1)[1]
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        keys = [k.lower() for k in message]
        if not keys or not ({"from", "date", "subject", "message-id"} & set(keys)):
            raise _Unreadable(("no mail headers: not an e-mail", "メールのヘッダーがありません"))
        mail.message_id = next(iter(_ids(_plain_header(message, "message-id"))), "")
        mail.refs = tuple(
            dict.fromkeys(
                _ids(_plain_header(message, "in-reply-to"))
                + _ids(_plain_header(message, "references"))
            )
        )
        mail.subject = _header_text(message, "subject", mail.notes)
        senders = _addresses(message, "from")
        if senders:
            mail.sender_name, mail.sender = senders[0]
        replies = _addresses(message, "reply-to")
        mail.reply_to = replies[0][1] if replies else ""
        recipients = _addresses(message, "to") + _addresses(message, "cc")
        mail.recipients = tuple(dict.fromkeys(a for _, a in recipients))
        mail.to_text = ", ".join(f"{n} <{a}>" if n else a for n, a in recipients)
        labels = _header_text(message, "x-gmail-labels", [])
        mail.labels = tuple(
            label.strip().strip('"') for label in labels.split(",") if label.strip()
        )
        mail.automatic = _automatic(message)
        mail.at = _parse_date(_plain_header(message, "date") or "")
        if mail.at is None:
            for received in _raw_headers(message, "received"):
                mail.at = _parse_date(_decode_8bit(received)[0].rpartition(";")[2])
                if mail.at is not None:
                    mail.notes.append(
                        (
                            "no readable Date header: used the time it was received",
                            "Date ヘッダーが読めないため受信時刻を使用",
                        )
                    )
                    break
        mail.uid = (
            mail.message_id
            or "no-id:"
            + hashlib.sha256(
                f"{mail.sender}\n{_utc_text(mail.at)}\n{mail.subject}".encode(
                    "utf-8", "surrogateescape"
                )
            ).hexdigest()
        )
        if mail.at is None:
            raise _Unreadable(("no readable Date", "日付（Date）が読めません"))
        if not FIRST_YEAR <= mail.at.year <= LAST_YEAR:
            raise _Unreadable(
                (f"Date {mail.at:%Y-%m-%d} is out of range", f"日付 {mail.at:%Y-%m-%d} が範囲外")
            )
        if not mail.sender:
            raise _Unreadable(("no sender address (From)", "差出人（From）のアドレスがありません"))
        text, mail.attachments = _body(message, mail.notes)
        mail.text = _clean_text(text)
    except _Unreadable as exc:
        mail.problem = exc.args[0]
    except Exception as exc:  # the email package met something it cannot parse
        mail.problem = (
            f"cannot be parsed: {type(exc).__name__}: {exc}",
            f"解析できません：{type(exc).__name__}: {exc}",
        )
    return mail


def _utc_text(at: datetime | None) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at else ""


def _automatic(message: EmailMessage) -> str:
    """The header that marks a message as bulk or automatic mail, or ''."""
    auto = (_plain_header(message, "auto-submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = (_plain_header(message, "precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "list"):
        return f"Precedence: {precedence}"
    for name in ("list-id", "list-unsubscribe", "x-autoreply", "x-autorespond"):
        if _raw_header(message, name) is not None:
            return name.title()
    return ""


# ------------------------------------------------------------------------------------- inputs


def _mbox_messages(path: Path, label: str) -> Iterator[tuple[bytes, str, tuple[str, ...]]]:
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
    except OSError as exc:
        raise MailboxError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if not head:
        raise MailboxError(f"{path}: the file is empty: no messages")
    if head != b"From ":
        raise MailboxError(
            f"{path}: not an mbox file (an mbox starts with a 'From ' line; "
            "give .eml files or a folder of them, or the .mbox from Google Takeout or Thunderbird)"
        )
    try:
        box = mailbox_lib.mbox(str(path), create=False)  # read only: nothing is ever flushed
        try:
            for number, key in enumerate(list(box.keys()), start=1):
                data = box.get_bytes(key)
                # undo the mbox quoting of body lines that start with 'From ' (mboxrd and mboxo)
                data = re.sub(rb"(?m)^>(>*From )", rb"\1", data)
                yield data, f"{label} #{number}", (label, f"{number:09d}")
        finally:
            box.close()
    except OSError as exc:
        raise MailboxError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _eml_message(path: Path, label: str) -> tuple[bytes, str, tuple[str, ...]]:
    try:
        return path.read_bytes(), label, (label,)
    except OSError as exc:
        raise MailboxError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _input_messages(paths: Sequence[Path]) -> Iterator[tuple[bytes, str, tuple[str, ...]]]:
    """(raw bytes, source label, input order) of every message of the given paths."""
    if not paths:
        raise MailboxError("no mailbox given: name .mbox files or folders of .eml files")
    for path in map(Path, paths):
        if not path.exists():
            raise MailboxError(f"{path}: no such file or folder")
        if path.is_dir():
            try:
                found = sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in (".eml", ".mbox")
                )
            except OSError as exc:
                raise MailboxError(f"{path}: cannot be read: {exc.strerror or exc}") from None
            if not found:
                raise MailboxError(f"{path}: the folder holds no .eml or .mbox files")
            for item in found:
                label = f"{path.name}/{item.relative_to(path).as_posix()}"
                if item.suffix.lower() == ".eml":
                    yield _eml_message(item, label)
                elif item.stat().st_size:  # an empty .mbox in a folder is an empty mail folder
                    yield from _mbox_messages(item, label)
        elif path.suffix.lower() == ".eml":
            if path.stat().st_size == 0:
                raise MailboxError(f"{path}: the file is empty: no message")
            yield _eml_message(path, path.name)
        else:
            yield from _mbox_messages(path, path.name)


# ------------------------------------------------------------------------------------- threads

_PREFIX = re.compile(r"^\s*(?:re|fwd?|fw|返信|転送)\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*:\s*", re.I)


def thread_subject(subject: str) -> tuple[str, bool]:
    """A subject for threading (NFKC, reply prefixes removed, case-folded) and whether it had one."""
    text = unicodedata.normalize("NFKC", subject)
    had_prefix = False
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        had_prefix, text = True, stripped
    return " ".join(text.split()).casefold(), had_prefix


class _Groups:
    """Union-find over message ids; the smaller id is the root, so the result never depends on order."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _threads(mails: list[_Mail], settings: MailboxSettings) -> list[list[_Mail]]:
    """Group usable messages (sorted by date) into threads, ordered by their first message."""
    groups = _Groups()
    by_uid = {m.uid: m for m in mails}
    present = set(by_uid)
    for mail in mails:
        groups.find(mail.uid)
        for ref in mail.refs:
            groups.union(mail.uid, ref)
    latest: dict[tuple[str, str], str] = {}
    for mail in mails:
        subject, had_prefix = thread_subject(mail.subject)
        if mail.outgoing:
            keys = [
                (subject, a)
                for a in mail.recipients
                if not _address_matches(a, settings.office_addresses)
            ]
        else:
            keys = [(subject, mail.customer)]
        anchored = any(ref in present for ref in mail.refs)
        # A customer's mail without a reply prefix is a new inquiry: contact forms send every inquiry
        # with one subject. An office mail to the customer joins whether or not it says 'Re:'.
        if subject and not anchored and (had_prefix or mail.outgoing):
            earlier = [latest[k] for k in keys if k in latest]
            if earlier:
                groups.union(mail.uid, max(earlier, key=lambda uid: by_uid[uid].sort_key()))
        if subject:
            for key in keys:
                latest[key] = mail.uid
    by_root: dict[str, list[_Mail]] = {}
    for mail in mails:
        by_root.setdefault(groups.find(mail.uid), []).append(mail)
    threads = [sorted(t, key=_Mail.sort_key) for t in by_root.values()]
    return sorted(threads, key=lambda t: t[0].sort_key())


# ---------------------------------------------------------------------------------------- output


@dataclass
class _Review:
    mail: _Mail
    thread: str = ""
    inquiry_id: str = ""
    became: str = "not used"
    why: list[tuple[str, str]] = field(default_factory=list)
    skipped_as: str = ""


def inquiry_id_for(mail_uid: str) -> str:
    """'M-' + the first 10 hex digits of the sha256 of the Message-ID ('<…>' as in the header).

    A message without a Message-ID has the uid 'no-id:' + sha256 of sender, UTC date and subject;
    its inquiry_id is 'M-' + the first 10 hex digits of that.
    """
    if mail_uid.startswith("no-id:"):
        return "M-" + mail_uid.removeprefix("no-id:")[:10]
    return "M-" + hashlib.sha256(mail_uid.encode("utf-8", "surrogateescape")).hexdigest()[:10]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _cell(value: object, text: bool = True) -> str:
    """A CSV value: control characters removed, and text that Excel would run as a formula
    ('=', '+', '-', '@' first) written with a leading apostrophe."""
    if value is None:
        return ""
    out = str(value).replace("\r\n", "\n").replace("\r", "\n")
    out = _SURROGATE.sub("\ufffd", _CONTROL.sub("", out))
    if text and out[:1] in ("=", "+", "-", "@", "\t"):
        out = "'" + out
    return out


def _write_csv(path: Path, header: Sequence[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    os.replace(tmp, path)


def _jst_text(at: datetime | None) -> str:
    return at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S") if at else ""


def _excerpt(text: str, size: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def _staff(mail: _Mail) -> str:
    return mail.sender_name or mail.sender


def _join(parts: list[tuple[str, str]]) -> tuple[str, str]:
    return "; ".join(p[0] for p in parts), "。".join(p[1] for p in parts)


# ------------------------------------------------------------------------------------- conversion


def _inquiry_row(
    mail: _Mail, inquiry_id: str, settings: MailboxSettings, why: list[tuple[str, str]]
) -> dict[str, str]:
    labelled = _labelled_fields(mail.text)
    row = dict.fromkeys(INQUIRY_ALIASES, "")
    row.update(
        inquiry_id=inquiry_id,
        received_at=_jst_text(mail.at),
        message=mail.text,
        channel=settings.channel,
        staff_minutes=str(settings.mail_read_minutes),
    )
    from_body: list[str] = []
    for name in _FIELDS:
        if name not in labelled:
            continue
        label, value = labelled[name]
        if name == "customer_email":
            found = _EMAIL.search(unicodedata.normalize("NFKC", value))
            if not found:
                continue
            value = found.group(0).lower()
        elif name == "target_phone":
            value = unicodedata.normalize("NFKC", value)
        elif name == "requested_for":
            value, note = _requested_for(value, mail.at.date())
            why.append(note)
            if not value:
                continue
        row[name] = value
        from_body.append(f"{name} ({label})")
    if from_body:
        why.append(
            (
                "from the body's fields: " + ", ".join(from_body),
                "本文の項目から：" + "、".join(from_body),
            )
        )
    if not row["customer_email"]:
        row["customer_email"] = mail.customer
    if not row["customer_name"]:
        row["customer_name"] = mail.sender_name
        if mail.sender_name:
            why.append(("name from the sender's display name", "お名前は差出人の表示名から"))
    missing = [n for n in ("customer_name", "customer_address", "target_phone") if not row[n]]
    if missing:
        why.append(
            (
                "not in the mail: " + ", ".join(missing),
                "メールにない項目：" + "、".join(missing),
            )
        )
    return row


def _event_row(
    mail: _Mail,
    inquiry_id: str,
    settings: MailboxSettings,
    contract_at: datetime | None,
    why: list[tuple[str, str]],
) -> dict[str, str]:
    row = dict.fromkeys(EVENT_ALIASES, "")
    row.update(inquiry_id=inquiry_id, event_at=_jst_text(mail.at), note=mail.subject)
    text = mail.text
    if mail.outgoing:
        row["staff"] = _staff(mail)
        row["staff_minutes"] = str(settings.mail_reply_minutes)
        quoted = _quoted_amount(text)
        contract = _first_phrase(text, settings.contract_phrases)
        if quoted:
            amount, line, several = quoted
            row.update(event="quote_sent", amount_jpy=str(amount))
            row["staff_minutes"] = str(settings.mail_quote_minutes)
            why.append(
                (
                    f"outgoing, states {amount:,}円 (「{line}」)",
                    f"送信・金額 {amount:,}円（「{line}」）",
                )
            )
            if several:
                why.append(several)
            if contract:
                why.append(
                    (
                        f"also has the contract phrase 「{contract}」: an amount makes it a quote "
                        "(the SPEC's order) — check whether it confirms a contract",
                        f"契約の語句「{contract}」もあります：金額があるため見積送信としました。"
                        "契約の確認なら修正してください",
                    )
                )
        elif contract:
            row["event"] = "contract_signed"
            row["note"] = f"{mail.subject} — 「{contract}」"
            why.append(
                (f"outgoing, contract phrase 「{contract}」", f"送信・契約の語句「{contract}」")
            )
        else:
            row["event"] = "staff_work"
            why.append(
                (
                    "outgoing, no amount in yen and no contract phrase",
                    "送信・金額も契約の語句もなし",
                )
            )
        return row
    row["staff_minutes"] = "0"
    decline = _first_phrase(text, settings.decline_phrases)
    cancel = _first_phrase(text, settings.cancel_phrases)
    request = _first_phrase(text, settings.request_phrases)
    if decline:
        row["event"] = "customer_declined"
        row["note"] = f"{mail.subject} — 「{decline}」"
        why.append((f"customer, decline phrase 「{decline}」", f"顧客・辞退の語句「{decline}」"))
    elif cancel and contract_at is not None:
        row["event"] = "cancelled"
        row["note"] = f"{mail.subject} — 「{cancel}」"
        why.append(
            (
                f"customer, cancel phrase 「{cancel}」 after the contract of {contract_at:%Y-%m-%d}",
                f"顧客・契約（{contract_at:%Y-%m-%d}）後のキャンセルの語句「{cancel}」",
            )
        )
    elif request:
        row["event"] = "contract_requested"
        row["note"] = f"{mail.subject} — 「{request}」"
        why.append(
            (f"customer, request phrase 「{request}」", f"顧客・正式依頼の語句「{request}」")
        )
    else:
        row["event"] = "customer_reply"
        why.append(
            (
                "customer, no decline, cancel or request phrase",
                "顧客・辞退／キャンセル／依頼の語句なし",
            )
        )
    if cancel and contract_at is None and not decline:
        why.append(
            (
                f"cancel phrase 「{cancel}」 but no contract yet: not a cancellation — "
                "if the customer is declining, change it to customer_declined",
                f"キャンセルの語句「{cancel}」がありますが未契約のためキャンセル扱いにしていません。"
                "辞退なら customer_declined に直してください",
            )
        )
    return row


def convert_mailbox(
    paths: Sequence[Path], out_dir: Path, settings: MailboxSettings
) -> MailboxResult:
    """Read .mbox files and folders of .eml and write the two logs and the review sheet into out_dir."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise MailboxError(f"{out_dir}: not a folder (the output folder for the logs)")
    mails = [_read_message(raw, source, order) for raw, source, order in _input_messages(paths)]
    reviews: dict[int, _Review] = {id(m): _Review(m) for m in mails}

    def skip(mail: _Mail, kind: str, reason: tuple[str, str]) -> None:
        review = reviews[id(mail)]
        review.skipped_as = kind
        review.why.insert(0, reason)

    usable: list[_Mail] = []
    seen: dict[str, _Mail] = {}
    for mail in sorted(mails, key=lambda m: (m.problem is not None, *m.sort_key(), m.source)):
        if mail.problem:
            skip(
                mail,
                "unreadable",
                (f"unreadable: {mail.problem[0]}", f"読めません：{mail.problem[1]}"),
            )
            continue
        mail.outgoing = _address_matches(mail.sender, settings.office_addresses)
        if mail.uid in seen:
            same = (
                ("Message-ID", "Message-ID")
                if mail.message_id
                else ("sender, date and subject", "差出人・日時・件名")
            )
            skip(
                mail,
                "duplicate",
                (
                    f"duplicate of {seen[mail.uid].source} (same {same[0]})",
                    f"{seen[mail.uid].source} と同じメール（{same[1]}が同じ）",
                ),
            )
            continue
        seen[mail.uid] = mail
        label = next(
            (x for x in mail.labels if any(_fold(x) == _fold(s) for s in settings.skip_labels)),
            None,
        )
        if label:
            skip(
                mail,
                "label",
                (f"Gmail label {label} (skip_labels)", f"Gmail のラベル {label}（skip_labels）"),
            )
        elif not mail.outgoing and _address_matches(mail.sender, settings.ignored_senders):
            skip(
                mail,
                "ignored sender",
                (
                    f"sender {mail.sender} is in ignored_senders (bounces, system mail)",
                    f"差出人 {mail.sender} は ignored_senders（エラー通知など）",
                ),
            )
        elif not mail.outgoing and settings.skip_automatic and mail.automatic:
            skip(
                mail,
                "automatic",
                (
                    f"bulk or automatic mail ({mail.automatic}), not a customer's (skip_automatic)",
                    f"一斉配信・自動送信のメール（{mail.automatic}）（skip_automatic）",
                ),
            )
        else:
            usable.append(mail)

    threads = _threads(usable, settings)
    inquiry_rows: list[list[str]] = []
    event_rows: list[list[str]] = []
    event_counts: dict[str, int] = {}
    ordered: list[_Review] = []
    width = max(3, len(str(len(threads))))
    for number, thread in enumerate(threads, start=1):
        label = f"T{number:0{width}d}"
        first = thread[0]
        for mail in thread:
            reviews[id(mail)].thread = label
            ordered.append(reviews[id(mail)])
        if first.outgoing:
            for mail in thread:
                skip(
                    mail,
                    "thread starts outgoing",
                    (
                        "the thread starts with an outgoing message (a newsletter or a mail the "
                        "office started): no inquiry",
                        "送信メールで始まるスレッド（お知らせ・事務所から送ったメール）：問い合わせではありません",
                    ),
                )
            continue
        inquiry_id = inquiry_id_for(first.uid)
        review = reviews[id(first)]
        review.inquiry_id, review.became = inquiry_id, "inquiry"
        why = [
            (
                "first customer message of the thread: the inquiry",
                "スレッド最初の顧客メール：問い合わせ",
            )
        ]
        if not first.message_id:
            why.append(
                (
                    "no Message-ID: inquiry_id from the sender, date and subject",
                    "Message-ID がないため差出人・日時・件名から inquiry_id を作成",
                )
            )
        row = _inquiry_row(first, inquiry_id, settings, why)
        review.why = why + review.why
        inquiry_rows.append(
            [_cell(row[c], c not in ("received_at", "staff_minutes")) for c in INQUIRY_ALIASES]
        )
        contract_at: datetime | None = None
        for mail in thread[1:]:
            review = reviews[id(mail)]
            why = []
            event = _event_row(mail, inquiry_id, settings, contract_at, why)
            if event["event"] == "contract_signed" and contract_at is None:
                contract_at = mail.at
            review.inquiry_id, review.became = inquiry_id, event["event"]
            review.why = why + review.why
            event_counts[event["event"]] = event_counts.get(event["event"], 0) + 1
            event_rows.append([_cell(event[c], c in ("staff", "note")) for c in EVENT_ALIASES])
    unused = sorted(
        (r for r in reviews.values() if not r.thread),
        key=lambda r: (*r.mail.sort_key(), r.mail.order),
    )
    ordered += unused

    review_rows: list[list[str]] = []
    skipped_counts: dict[str, int] = {}
    for index, review in enumerate(ordered, start=1):
        mail = review.mail
        if review.skipped_as:
            review.became = "not used"
            review.inquiry_id = ""
            skipped_counts[review.skipped_as] = skipped_counts.get(review.skipped_as, 0) + 1
        notes = list(mail.notes)
        if not mail.text and not mail.problem:
            if mail.attachments:
                notes.append(
                    (
                        "attachment only: no text to read (no amount or phrase could be found) — "
                        "open the attachment and correct the row if needed",
                        "添付ファイルのみ：本文がないため金額や語句を読めません。添付を確認してください",
                    )
                )
            else:
                notes.append(("empty message: no text", "本文なし"))
        why, why_ja = _join(review.why + notes)
        direction = ""
        if mail.sender:
            outgoing = _address_matches(mail.sender, settings.office_addresses)
            direction = "outgoing" if outgoing else "incoming"
        review_rows.append(
            [
                str(index),
                review.thread,
                review.inquiry_id,
                direction,
                _jst_text(mail.at),
                _cell(mail.from_text),
                _cell(mail.to_text),
                _cell(mail.subject),
                review.became,
                _cell(why),
                _cell(why_ja),
                _cell(_excerpt(mail.text)),
                _cell(", ".join(mail.attachments)),
                _cell(mail.message_id),
                _cell(mail.source),
            ]
        )

    out_dir.mkdir(parents=True, exist_ok=True)
    result = MailboxResult(
        inquiries_path=out_dir / INQUIRIES_FILE,
        quotes_path=out_dir / QUOTES_FILE,
        review_path=out_dir / REVIEW_FILE,
        messages=len(mails),
        inquiries=len(inquiry_rows),
        events=len(event_rows),
        skipped=sum(skipped_counts.values()),
        event_counts=event_counts,
        skipped_counts=skipped_counts,
    )
    if not settings.office_addresses:
        result.warnings.append(
            "office_addresses is empty: every message was read as a customer's, so no quotes or "
            "contracts were found (set [mailbox] office_addresses in the settings file)"
        )
    _write_csv(result.inquiries_path, list(INQUIRY_ALIASES), inquiry_rows)
    _write_csv(result.quotes_path, list(EVENT_ALIASES), event_rows)
    _write_csv(result.review_path, REVIEW_COLUMNS, review_rows)
    return result


def run_cli(paths: list[Path], out: Path, settings_file: Path | None) -> int:
    """`python -m pipelines mailbox PATH... --out DIR [--settings FILE]`: convert and print the summary."""
    settings = load_mailbox_settings(settings_file)
    result = convert_mailbox(paths, out, settings)
    print(result.summary())
    return 0


__all__ = [
    "MailboxError",
    "MailboxResult",
    "MailboxSettings",
    "convert_mailbox",
    "inquiry_id_for",
    "load_mailbox_settings",
    "mailbox_settings_from_table",
    "run_cli",
    "thread_subject",
]
