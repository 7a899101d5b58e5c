"""Conversion: threads to inquiry rows, event rows and review rows, written as Excel-safe CSV."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES
from pipelines.export import write_csv_file
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
from pipelines.mailbox.settings import (
    INQUIRIES_FILE,
    JST,
    QUOTES_FILE,
    REVIEW_COLUMNS,
    REVIEW_FILE,
    MailboxError,
    MailboxSettings,
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
            (
                x
                for x in mail.labels
                if any(case_fold(x) == case_fold(s) for s in settings.skip_labels)
            ),
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
        inquiry_rows.append([_cell(row[c]) for c in INQUIRY_ALIASES])
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
            event_rows.append([_cell(event[c]) for c in EVENT_ALIASES])
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
    write_csv_file(result.inquiries_path, list(INQUIRY_ALIASES), inquiry_rows)
    write_csv_file(result.quotes_path, list(EVENT_ALIASES), event_rows)
    write_csv_file(result.review_path, REVIEW_COLUMNS, review_rows)
    return result


def run_cli(paths: list[Path], out: Path, settings_file: Path | None) -> int:
    """`python -m pipelines mailbox PATH... --out DIR [--settings FILE]`: convert and print the summary."""
    settings = load_mailbox_settings(settings_file)
    result = convert_mailbox(paths, out, settings)
    print(result.summary())
    return 0
