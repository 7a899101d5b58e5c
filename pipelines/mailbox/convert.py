"""Conversion: threads to inquiry rows, event rows and review rows, written as Excel-safe CSV."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES
from pipelines.i18n import mail_reasons_text
from pipelines.jptext import case_fold, nfkc
from pipelines.mailbox.decode import _input_messages, _Mail, _read_message
from pipelines.mailbox.extract import (
    _CONTROL,
    _EMAIL,
    _FIELDS,
    _SURROGATE,
    _first_phrase,
    _labelled_fields,
    _quoted_amount,
    _requested_for,
)
from pipelines.mailbox.output import recover, write_set
from pipelines.mailbox.settings import (
    INQUIRIES_FILE,
    JST,
    QUOTES_FILE,
    REVIEW_COLUMNS,
    REVIEW_FILE,
    MailboxError,
    MailboxSettings,
    Why,
    _address_matches,
    load_mailbox_settings,
)
from pipelines.mailbox.threads import _threads

# ------------------------------------------------------------------------------------------ results


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
    warnings: list[str] = field(default_factory=list)  # codes: mailbox.warn.<code>

    def summary(self, lang: str = "en") -> str:
        """A few lines for the terminal in lang: counts, where the files are, what to check."""
        from pipelines.i18n import t

        sep = "、" if lang == "ja" else ", "
        lines = [
            t(
                "mailbox.read",
                lang,
                messages=self.messages,
                inquiries=self.inquiries,
                events=self.events,
                skipped=self.skipped,
            )
        ]
        if self.event_counts:
            counts = sep.join(f"{k} {n}" for k, n in sorted(self.event_counts.items()))
            lines.append(t("mailbox.events", lang, counts=counts))
        if self.skipped_counts:
            counts = sep.join(f"{k} {n}" for k, n in sorted(self.skipped_counts.items()))
            lines.append(t("mailbox.not_used", lang, counts=counts))
        lines += [
            t("mailbox.warning", lang, text=t(f"mailbox.warn.{w}", lang)) for w in self.warnings
        ]
        lines += [
            t("mailbox.inquiry_log", lang, path=self.inquiries_path),
            t("mailbox.quote_log", lang, path=self.quotes_path),
            t("mailbox.review", lang, path=self.review_path),
            t("mailbox.next", lang),
        ]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------- output


@dataclass
class _Review:
    mail: _Mail
    thread: str = ""
    inquiry_id: str = ""
    became: str = "not used"
    why: list[Why] = field(default_factory=list)
    skipped_as: str = ""


def inquiry_id_for(mail_uid: str) -> str:
    """'M-' + the first 10 hex digits of the sha256 of the Message-ID ('<…>' as in the header).

    A message without a Message-ID has the uid 'no-id:' + sha256 of sender, UTC date and subject;
    its inquiry_id is 'M-' + the first 10 hex digits of that.
    """
    if mail_uid.startswith("no-id:"):
        return "M-" + mail_uid.removeprefix("no-id:")[:10]
    return "M-" + hashlib.sha256(mail_uid.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def _cell(value: object) -> str:
    """A CSV value without control characters or lone surrogates (export neutralises formulas)."""
    if value is None:
        return ""
    out = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", out))


def _jst_text(at: datetime | None) -> str:
    return at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S") if at else ""


def _excerpt(text: str, size: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def _staff(mail: _Mail) -> str:
    return mail.sender_name or mail.sender


def _join(parts: list[Why]) -> tuple[str, str, str]:
    """A message's reasons worded in English and in Japanese, and stored as codes (JSON)."""
    reasons = [[code, params] for code, params in parts]
    codes = json.dumps(reasons, ensure_ascii=False, sort_keys=True)
    return mail_reasons_text(reasons, "en"), mail_reasons_text(reasons, "ja"), codes


# ------------------------------------------------------------------------------------- conversion


def _inquiry_row(
    mail: _Mail, inquiry_id: str, settings: MailboxSettings, why: list[Why]
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
            found = _EMAIL.search(nfkc(value))
            if not found:
                continue
            value = found.group(0).lower()
        elif name == "target_phone":
            value = nfkc(value)
        elif name == "requested_for":
            value, note = _requested_for(value, mail.at.date())
            why.append(note)
            if not value:
                continue
        row[name] = value
        from_body.append(f"{name} ({label})")
    if from_body:
        why.append(("from_fields", {"fields": from_body}))
    if not row["customer_email"]:
        row["customer_email"] = mail.customer
    if not row["customer_name"]:
        row["customer_name"] = mail.sender_name
        if mail.sender_name:
            why.append(("name_from_sender", {}))
    missing = [n for n in ("customer_name", "customer_address", "target_phone") if not row[n]]
    if missing:
        why.append(("not_in_mail", {"fields": missing}))
    return row


def _event_row(
    mail: _Mail,
    inquiry_id: str,
    settings: MailboxSettings,
    contract_at: datetime | None,
    why: list[Why],
) -> dict[str, str]:
    row = dict.fromkeys(EVENT_ALIASES, "")
    row.update(inquiry_id=inquiry_id, event_at=_jst_text(mail.at), note=mail.subject)
    if mail.outgoing:
        _outgoing_event(row, mail, settings, why)
    else:
        _customer_event(row, mail, settings, contract_at, why)
    return row


def _outgoing_event(
    row: dict[str, str], mail: _Mail, settings: MailboxSettings, why: list[Why]
) -> None:
    """An outgoing message: quote_sent (an amount in yen), contract_signed or staff_work."""
    text = mail.text
    row["staff"] = _staff(mail)
    row["staff_minutes"] = str(settings.mail_reply_minutes)
    quoted = _quoted_amount(text)
    contract = _first_phrase(text, settings.contract_phrases)
    if quoted:
        amount, line, several = quoted
        row.update(event="quote_sent", amount_jpy=str(amount))
        row["staff_minutes"] = str(settings.mail_quote_minutes)
        why.append(("quote", {"amount": amount, "line": line}))
        if several:
            why.append(several)
        if contract:
            why.append(("quote_with_contract_phrase", {"contract": contract}))
    elif contract:
        row["event"] = "contract_signed"
        row["note"] = f"{mail.subject} — 「{contract}」"
        why.append(("contract", {"contract": contract}))
    else:
        row["event"] = "staff_work"
        why.append(("staff_work", {}))


def _customer_event(
    row: dict[str, str],
    mail: _Mail,
    settings: MailboxSettings,
    contract_at: datetime | None,
    why: list[Why],
) -> None:
    """A customer's message: customer_declined, cancelled, contract_requested or customer_reply."""
    text = mail.text
    row["staff_minutes"] = "0"
    decline = _first_phrase(text, settings.decline_phrases)
    cancel = _first_phrase(text, settings.cancel_phrases)
    request = _first_phrase(text, settings.request_phrases)
    if decline:
        row["event"] = "customer_declined"
        row["note"] = f"{mail.subject} — 「{decline}」"
        why.append(("declined", {"phrase": decline}))
    elif cancel and contract_at is not None:
        row["event"] = "cancelled"
        row["note"] = f"{mail.subject} — 「{cancel}」"
        why.append(("cancelled", {"phrase": cancel, "contract_date": f"{contract_at:%Y-%m-%d}"}))
    elif request:
        row["event"] = "contract_requested"
        row["note"] = f"{mail.subject} — 「{request}」"
        why.append(("requested", {"phrase": request}))
    else:
        row["event"] = "customer_reply"
        why.append(("reply", {}))
    if cancel and contract_at is None and not decline:
        why.append(("cancel_before_contract", {"phrase": cancel}))


def _skip(reviews: dict[int, _Review], mail: _Mail, kind: str, reason: Why) -> None:
    review = reviews[id(mail)]
    review.skipped_as = kind
    review.why.insert(0, reason)


def convert_mailbox(
    paths: Sequence[Path], out_dir: Path, settings: MailboxSettings
) -> MailboxResult:
    """Read .mbox files and folders of .eml and write the two logs and the review sheet into out_dir."""
    return convert_messages(_input_messages(paths), out_dir, settings)


def convert_messages(
    messages: Iterable[tuple[bytes, str, tuple[str, ...]]], out_dir: Path, settings: MailboxSettings
) -> MailboxResult:
    """The mailbox import of (raw bytes, source label, input order) messages, read as they come.

    The raw bytes are a message as an .eml file holds it (``reduce_message`` already applied, as the
    readers of files do); the live mailbox (pipelines/sync.py) gives its messages this way.
    """
    out_dir = _output_folder(out_dir)
    mails = [_read_message(raw, source, order) for raw, source, order in messages]
    reviews: dict[int, _Review] = {id(m): _Review(m) for m in mails}
    usable = _usable(mails, reviews, settings)
    _through_auto_replies(usable, reviews)
    threads = _threads(usable, settings)
    rows = _Rows()
    ordered = _convert_threads(threads, reviews, settings, rows)
    ordered += sorted(
        (r for r in reviews.values() if not r.thread),
        key=lambda r: (*r.mail.sort_key(), r.mail.order),
    )
    review_rows, skipped_counts = _review_rows(ordered, settings)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MailboxError(f"{out_dir}: cannot be made: {exc.strerror or exc}") from None
    result = MailboxResult(
        inquiries_path=out_dir / INQUIRIES_FILE,
        quotes_path=out_dir / QUOTES_FILE,
        review_path=out_dir / REVIEW_FILE,
        messages=len(mails),
        inquiries=len(rows.inquiries),
        events=len(rows.events),
        skipped=sum(skipped_counts.values()),
        event_counts=rows.event_counts,
        skipped_counts=skipped_counts,
    )
    if not settings.office_addresses:
        result.warnings.append("no_office_addresses")
    # one set (mailbox/output.py); the inquiry log is renamed last: a set torn by a kill between the
    # renames shows as events without inquiries, which the loader reports, until the next run
    interrupted = write_set(
        out_dir,
        [
            (REVIEW_FILE, REVIEW_COLUMNS, review_rows),
            (QUOTES_FILE, list(EVENT_ALIASES), rows.events),
            (INQUIRIES_FILE, list(INQUIRY_ALIASES), rows.inquiries),
        ],
    )
    if interrupted:
        result.warnings.append("interrupted_replacing")
    return result


def _output_folder(out_dir: Path) -> Path:
    """out_dir, refused when it is a file; the set of a run killed while renaming completed first."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise MailboxError(f"{out_dir}: not a folder (the output folder for the logs)")
    if out_dir.is_dir():
        recover(out_dir, (REVIEW_FILE, QUOTES_FILE, INQUIRIES_FILE))
    return out_dir


def _usable(
    mails: list[_Mail], reviews: dict[int, _Review], settings: MailboxSettings
) -> list[_Mail]:
    """The messages to thread; the others (unreadable, duplicate, skipped) get their reason."""
    usable: list[_Mail] = []
    seen: dict[str, _Mail] = {}
    for mail in sorted(mails, key=lambda m: (m.problem is not None, *m.sort_key(), m.source)):
        if mail.problem:
            _skip(
                reviews,
                mail,
                "unreadable",
                ("unreadable", {"problem": list(mail.problem)}),
            )
            continue
        mail.outgoing = _address_matches(mail.sender, settings.office_addresses)
        if mail.uid in seen:
            same = ["same_message_id" if mail.message_id else "same_sender_date_subject", {}]
            _skip(
                reviews,
                mail,
                "duplicate",
                ("duplicate", {"source": seen[mail.uid].source, "same": same}),
            )
            continue
        seen[mail.uid] = mail
        skipped = _skip_reason(mail, settings)
        if skipped:
            _skip(reviews, mail, *skipped)
        else:
            usable.append(mail)
    return usable


def _through_auto_replies(usable: list[_Mail], reviews: dict[int, _Review]) -> None:
    """A reply to the office's autoresponder belongs to the thread that the autoresponder answered.

    The autoresponder's mail is left out of threads (``office_auto_reply``); a customer who answers it
    names only it in In-Reply-To, so the reply takes the autoresponder's references as its own.
    """
    answered = {
        r.mail.uid: r.mail.refs
        for r in reviews.values()
        if r.why and r.why[0][0] == "office_auto_reply"
    }
    if not answered:
        return
    for mail in usable:
        extra = tuple(x for ref in mail.refs if ref in answered for x in answered[ref])
        if extra:
            mail.refs = tuple(dict.fromkeys(mail.refs + extra))


def _skip_reason(mail: _Mail, settings: MailboxSettings) -> tuple[str, Why] | None:
    """Why a readable, new message is not threaded (a skip label, an ignored sender, bulk mail)."""
    label = next(
        (x for x in mail.labels if any(case_fold(x) == case_fold(s) for s in settings.skip_labels)),
        None,
    )
    if label:
        return "label", ("label", {"label": label})
    if not mail.outgoing and _address_matches(mail.sender, settings.ignored_senders):
        return "ignored sender", ("ignored_sender", {"sender": mail.sender})
    if not mail.outgoing and settings.skip_automatic and mail.automatic:
        return "automatic", ("automatic", {"automatic": mail.automatic})
    if mail.outgoing and settings.skip_automatic and mail.automatic.startswith(_AUTO_REPLY):
        # the office's autoresponder ('お問い合わせありがとうございます'): not staff work, and not the
        # office answering (it would take an urgent inquiry off Refusals to send within a minute)
        return "automatic", ("office_auto_reply", {"automatic": mail.automatic})
    return None


_AUTO_REPLY = (
    "Auto-Submitted",
    "X-Autoreply",
    "X-Autorespond",
)  # not List-Id, Precedence: a newsletter


@dataclass
class _Rows:
    inquiries: list[list[str]] = field(default_factory=list)
    events: list[list[str]] = field(default_factory=list)
    event_counts: dict[str, int] = field(default_factory=dict)


def _convert_threads(
    threads: list[list[_Mail]],
    reviews: dict[int, _Review],
    settings: MailboxSettings,
    rows: _Rows,
) -> list[_Review]:
    """Each thread's inquiry and event rows into rows; the reviews in thread order."""
    ordered: list[_Review] = []
    width = max(3, len(str(len(threads))))
    for number, thread in enumerate(threads, start=1):
        label = f"T{number:0{width}d}"
        for mail in thread:
            reviews[id(mail)].thread = label
            ordered.append(reviews[id(mail)])
        if thread[0].outgoing:
            for mail in thread:
                _skip(
                    reviews,
                    mail,
                    "thread starts outgoing",
                    ("thread_starts_outgoing", {}),
                )
            continue
        _convert_thread(thread, reviews, settings, rows)
    return ordered


def _convert_thread(
    thread: list[_Mail], reviews: dict[int, _Review], settings: MailboxSettings, rows: _Rows
) -> None:
    """A thread that starts with a customer's message: its inquiry row and one event per reply."""
    first = thread[0]
    inquiry_id = inquiry_id_for(first.uid)
    review = reviews[id(first)]
    review.inquiry_id, review.became = inquiry_id, "inquiry"
    why = [("inquiry", {})]
    if not first.message_id:
        why.append(("no_message_id", {}))
    row = _inquiry_row(first, inquiry_id, settings, why)
    review.why = why + review.why
    rows.inquiries.append([_cell(row[c]) for c in INQUIRY_ALIASES])
    contract_at: datetime | None = None
    for mail in thread[1:]:
        review = reviews[id(mail)]
        why = []
        event = _event_row(mail, inquiry_id, settings, contract_at, why)
        if event["event"] == "contract_signed" and contract_at is None:
            contract_at = mail.at
        review.inquiry_id, review.became = inquiry_id, event["event"]
        review.why = why + review.why
        rows.event_counts[event["event"]] = rows.event_counts.get(event["event"], 0) + 1
        rows.events.append([_cell(event[c]) for c in EVENT_ALIASES])


def _review_rows(
    ordered: list[_Review], settings: MailboxSettings
) -> tuple[list[list[str]], dict[str, int]]:
    """The review sheet's rows (one per message) and how many messages each skip reason took."""
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
                notes.append(("attachment_only", {}))
            else:
                notes.append(("empty", {}))
        why, why_ja, why_codes = _join(review.why + notes)
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
                _cell(why_codes),
            ]
        )
    return review_rows, skipped_counts


def run_cli(paths: list[Path], out: Path, settings_file: Path | None, lang: str = "en") -> int:
    """`python -m pipelines mailbox PATH... --out DIR [--settings FILE]`: convert and print the
    summary in lang."""
    settings = load_mailbox_settings(settings_file)
    result = convert_mailbox(paths, out, settings)
    print(result.summary(lang))
    return 0
