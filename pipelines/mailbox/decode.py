"""From mailbox files to messages: inputs, MIME and header decoding, charsets."""

from __future__ import annotations

import codecs
import email.utils
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import EmailPolicy
from pathlib import Path

from pipelines.mailbox.extract import _EMAIL, _clean_text, _html_to_text
from pipelines.mailbox.settings import JST, MailboxError, Why
from pipelines.mailbox.stream import MAX_KEPT_BYTES, TooLarge, mbox_messages, reduce_message
from pipelines.readers.codes import REFUSALS, FileRefused, GiB, MiB
from pipelines.readers.scratch import _Scratch
from pipelines.streams import path_kind, spool_pipe
from pipelines.vocabulary import FIRST_DATE, LAST_DATE

MAX_PIPE_BYTES = 64 * GiB  # what a piped mailbox may copy into the temporary folder

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
            raise _Unreadable(("unknown_charset", {"charset": charset})) from None
        chain = _CODEC_CHAINS.get(codec, (codec,))
    for codec in chain:
        try:
            return _decode_with(data, codec), codec
        except (UnicodeDecodeError, UnicodeError, LookupError):
            continue
    if not charset:
        raise _Unreadable(("no_charset_undecodable", {}))
    raise _Unreadable(("charset_undecodable", {"charset": charset}))


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


# ------------------------------------------------------------------------------------- messages


class _HeaderCachePolicy(EmailPolicy):
    """policy.default whose parsed header objects are kept by (name, value) and shared.

    The email package parses a header again on every read (``get_content_type``, ``get_param``,
    ``get_body`` … read Content-Type a dozen times per message), which was most of the time of
    reading a mailbox; messages of one mailbox share a few Content-Type values. The parsed headers are
    immutable, so sharing them changes nothing but the time.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        """The header object for (name, value), parsed once."""
        if hasattr(value, "name"):  # already a header object (a message built in Python)
            return value
        key = (name, value)
        found = _PARSED_HEADERS.get(key)
        if found is None:
            found = super().header_fetch_parse(name, value)
            if len(_PARSED_HEADERS) >= _PARSED_HEADERS_MAX:
                _PARSED_HEADERS.clear()
            _PARSED_HEADERS[key] = found
        return found


_PARSED_HEADERS: dict[tuple[str, str], str] = {}
_PARSED_HEADERS_MAX = 4096
_POLICY = _HeaderCachePolicy()


@dataclass
class _Mail:
    """One message as read from the mailbox, or the reason it cannot be read."""

    source: str
    order: tuple[str, ...] = ()  # where it was in the input, for the review sheet's unused rows
    problem: Why | None = None
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
    notes: list[Why] = field(default_factory=list)
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


def _header_text(message: EmailMessage, name: str, notes: list[Why]) -> str:
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    text, ok8 = _decode_8bit(raw)
    text, ok = _decode_words(text)
    if not (ok8 and ok):
        notes.append(("header_partly_undecodable", {"name": name}))
    return " ".join(text.split())


def _addresses(message: EmailMessage, name: str) -> list[Why]:
    """(display name, lower-case address) pairs of an address header; names RFC 2047 decoded."""
    pairs: list[Why] = []
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


def _body(message: EmailMessage, notes: list[Why]) -> tuple[str, tuple[str, ...]]:
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
        notes.append(("html_converted", {}))
    if codec and not body.get_param("charset") and not data.isascii():
        notes.append(("no_charset_read_as", {"codec": codec}))
    return text, tuple(attachments)


def _leaves(part: EmailMessage) -> Iterator[EmailMessage]:
    """The parts of a message that hold content; an attached mail (message/rfc822) is one part."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            yield from _leaves(sub)
    else:
        yield part


def _read_headers(mail: _Mail, message: EmailMessage) -> None:
    """Fill mail's IDs, subject, addresses, labels and date from the message's headers."""
    mail.message_id = next(iter(_ids(_plain_header(message, "message-id"))), "")
    mail.refs = tuple(
        dict.fromkeys(
            _ids(_plain_header(message, "in-reply-to")) + _ids(_plain_header(message, "references"))
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
    mail.labels = tuple(label.strip().strip('"') for label in labels.split(",") if label.strip())
    mail.automatic = _automatic(message)
    mail.at = _parse_date(_plain_header(message, "date") or "")
    if mail.at is None:
        for received in _raw_headers(message, "received"):
            mail.at = _parse_date(_decode_8bit(received)[0].rpartition(";")[2])
            if mail.at is not None:
                mail.notes.append(("date_from_received", {}))
                break


def _read_message(raw: bytes, source: str, order: tuple[str, ...]) -> _Mail:
    """Parse one message; a message that cannot be read comes back with its problem set."""
    mail = _Mail(source=source, order=order)
    too_large = isinstance(raw, TooLarge)  # only its headers were kept
    if raw.startswith(b"From ") and b"\n" in raw:  # an .eml saved with its mbox separator line
        raw = raw.split(b"\n", 1)[1]
    try:
        message = BytesParser(policy=_POLICY).parsebytes(raw)
        keys = [k.lower() for k in message]
        if not keys or not ({"from", "date", "subject", "message-id"} & set(keys)):
            raise _Unreadable(("no_headers", {}))
        _read_headers(mail, message)
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
            raise _Unreadable(("no_date", {}))
        if not FIRST_DATE.year <= mail.at.year <= LAST_DATE.year:
            raise _Unreadable(("date_out_of_range", {"date": f"{mail.at:%Y-%m-%d}"}))
        if not mail.sender:
            raise _Unreadable(("no_sender", {}))
        if too_large:
            raise _Unreadable(_too_large())
        text, mail.attachments = _body(message, mail.notes)
        mail.text = _clean_text(text)
    except _Unreadable as exc:
        mail.problem = _too_large() if too_large else exc.args[0]
    except Exception as exc:  # the email package met something it cannot parse
        mail.problem = (
            _too_large()
            if too_large
            else ("cannot_parse", {"error": f"{type(exc).__name__}: {exc}"})
        )
    return mail


def _too_large() -> Why:
    return ("too_large", {"size": MAX_KEPT_BYTES // MiB})


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
            if not head:
                raise MailboxError(f"{path}: the file is empty: no messages")
            if head != b"From ":
                raise MailboxError(
                    f"{path}: not an mbox file (an mbox starts with a 'From ' line; give .eml "
                    "files or a folder of them, or the .mbox from Google Takeout or Thunderbird)"
                )
            fh.seek(0)
            # one pass, attachments' bodies dropped as they stream past (mailbox/stream.py)
            for number, data in enumerate(mbox_messages(fh), start=1):
                yield data, f"{label} #{number}", (label, f"{number:09d}")
    except OSError as exc:
        raise MailboxError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _eml_message(path: Path, label: str) -> tuple[bytes, str, tuple[str, ...]]:
    try:
        with path.open("rb") as fh:
            return reduce_message(fh), label, (label,)
    except OSError as exc:
        raise MailboxError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _piped(path: Path) -> Iterator[tuple[bytes, str, tuple[str, ...]]]:
    """A pipe (`<(…)`, a FIFO): copied to a private file once, then read as an mbox or one .eml."""
    scratch = _Scratch()
    try:
        copy = scratch.file(".mail")
        try:
            spool_pipe(path, copy, MAX_PIPE_BYTES)
        except FileRefused as exc:
            raise MailboxError(f"{path}: {exc.problem}") from None
        with copy.open("rb") as fh:
            head = fh.read(5)
        if not head:
            raise MailboxError(f"{path}: the pipe gave nothing: no messages")
        if head == b"From " or path.suffix.lower() not in ("", ".eml"):
            yield from _mbox_messages(copy, path.name)
        else:
            yield _eml_message(copy, path.name)
    finally:
        scratch.close()


def _input_messages(paths: Sequence[Path]) -> Iterator[tuple[bytes, str, tuple[str, ...]]]:
    """(raw bytes, source label, input order) of every message of the given paths."""
    if not paths:
        raise MailboxError("no mailbox given: name .mbox files or folders of .eml files")
    for path in map(Path, paths):
        kind = path_kind(path)
        if kind == "missing":
            raise MailboxError(f"{path}: no such file or folder")
        if kind == "pipe":
            yield from _piped(path)
        elif kind in ("device", "socket"):
            raise MailboxError(f"{path}: {REFUSALS['NOT_A_FILE']}")
        elif kind == "folder":
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
