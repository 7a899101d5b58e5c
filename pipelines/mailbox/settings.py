"""The mailbox import's settings (the ``[mailbox]`` table) and the constants its modules share."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import timedelta, timezone
from pathlib import Path

from pipelines.settings import SettingsError
from pipelines.settings import _read_toml as read_toml

# A reason on the review sheet: a code of pipelines/i18n/mail.py (mail.why.<code>) and its parameters.
Why = tuple[str, dict[str, object]]
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
    "why_codes",
)


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
    raw = read_toml(Path(path))  # the one reader of settings files: same errors as every command
    return mailbox_settings_from_table(raw.get("mailbox", {}), str(path))


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


class MailboxError(ValueError):
    """A mailbox path cannot be read at all (message names the path and the problem)."""


# An office address as the Settings page takes it: a whole address, '@domain' or 'localpart@'.
_LOCAL = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
_OFFICE_ENTRY = re.compile(rf"{_LOCAL}@{_DOMAIN}|@{_DOMAIN}|{_LOCAL}@")


def office_address_problems(entries: Sequence[str]) -> list[str]:
    """The entries that are not an e-mail address, '@domain' or 'localpart@' (empty: all good)."""
    return [e for e in entries if not _OFFICE_ENTRY.fullmatch(e.strip())]


def save_office_addresses(path: Path, entries: Sequence[str]) -> tuple[str, ...]:
    """Write [mailbox] office_addresses into the settings file at path, atomically; the entries saved.

    The file's other text is kept; the new file must load as valid settings before it replaces the
    old one. SettingsError names the first entry that is not an address.
    """
    import json
    import os
    import tempfile

    from pipelines.settings import load_settings

    cleaned = tuple(dict.fromkeys(e.strip().lower() for e in entries if e.strip()))
    bad = office_address_problems(cleaned)
    if bad:
        raise SettingsError(f"{bad[0]!r} is not an e-mail address, @domain or name@")
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    line = "office_addresses = " + json.dumps(list(cleaned), ensure_ascii=False)
    table = re.compile(r"^\[mailbox\][ \t]*$", re.M).search(text)
    if table is None:
        text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + f"[mailbox]\n{line}\n"
    else:
        following = re.compile(r"^\[", re.M).search(text, table.end())
        end = following.start() if following else len(text)
        block = text[table.end() : end]
        key = re.compile(r"^office_addresses[ \t]*=[ \t]*\[[^\]]*\][^\n]*$", re.M)
        block = key.sub(line, block, count=1) if key.search(block) else f"\n{line}" + block
        text = text[: table.end()] + block + text[end:]
    handle, temp = tempfile.mkstemp(prefix=".settings-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        load_mailbox_settings(Path(temp))
        load_settings(temp)  # the whole file must still be valid settings
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return cleaned
