"""The morning mail: each account with an e-mail gets its day, the owner the alerts that fire.

``morning_mails`` builds one ``EmailMessage`` per recipient in the recipient's language: the items the
person claimed, then the unclaimed items of each staff list with their next step and a link into the
dashboard (``dashboard_url``), the upcoming calls as an ``.ics`` attachment, and for owners the
``[alerts]`` that fire. Japanese mail is UTF-8 with RFC 2047 encoded headers (what Japanese mail
programs read; the standard library's parser reads it back). Sending (``send_mails``) uses SMTP with
``[smtp]`` and the password from ``OPSDASH_SMTP_PASSWORD``; who got a mail on which day is recorded
by the caller so that nobody gets the same day twice.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import quote

from pipelines.i18n import t
from pipelines.settings import Settings, SettingsError
from pipelines.vocabulary import STAFF_LISTS
from pipelines.worklist import WorkItem, upcoming_calendar

SMTP_PASSWORD_ENV = "OPSDASH_SMTP_PASSWORD"
# The conversion alert compares the last 7 days with the 28 before them (SPEC, no setting).
RECENT_DAYS, PREVIOUS_DAYS = 7, 28


@dataclass(frozen=True)
class Recipient:
    """One person who gets the morning mail: login name, display name, address, language, role."""

    name: str
    display_name: str
    email: str
    lang: str
    role: str = "staff"


@dataclass(frozen=True)
class SmtpSettings:
    """The [smtp] table: the office's outgoing server (the password comes from the environment)."""

    host: str = ""
    port: int = 0  # 0: 465 with ssl, else 587 (STARTTLS) with tls, else 25
    user: str = ""
    tls: bool = True  # STARTTLS
    ssl: bool = False  # TLS from the first byte (port 465)
    sender: str = ""  # the From address ("from" in the file)

    @property
    def real_port(self) -> int:
        """The TCP port: the one set, else 465 / 587 / 25."""
        return self.port or (465 if self.ssl else 587 if self.tls else 25)


@dataclass(frozen=True)
class AlertSettings:
    """The [alerts] table: when the owner is told (0 turns a number off)."""

    overdue_quotes: int = 3  # quotes past due ≥ this many
    sign_by_unclaimed_hour: int = 12  # sign-by items nobody claimed at this hour (Japan time)
    conversion_drop_points: int = 10  # last 7 days' conversion below the previous 28 days' by this
    sync_failing_minutes: int = 60  # the mailbox sync failing for longer than this


def _table(
    settings: Settings, name: str, cls: type, rename: dict[str, str] | None = None
) -> object:
    """A dataclass from a settings table, each value checked against its default's type."""
    rename = rename or {}
    defaults = asdict(cls())
    values: dict[str, object] = {}
    for key, value in settings.table(name).items():
        field_name = rename.get(key, key)
        if field_name not in defaults:
            raise SettingsError(f"[{name}] {key} is not a setting")
        default = defaults[field_name]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, str)
        if not ok:
            raise SettingsError(f"[{name}] {key}: {value!r} is not a valid value")
        values[field_name] = value
    return cls(**values)


def smtp_settings(settings: Settings) -> SmtpSettings:
    """The validated [smtp] table."""
    return _table(settings, "smtp", SmtpSettings, {"from": "sender"})  # type: ignore[return-value]


def alert_settings(settings: Settings) -> AlertSettings:
    """The validated [alerts] table."""
    return _table(settings, "alerts", AlertSettings)  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------- alerts


@dataclass
class DayFacts:
    """What the alerts read for a day: the lists, who claimed what, conversion rates, sync status."""

    items: dict[str, list[WorkItem]]
    claims: dict[str, str] = field(default_factory=dict)  # inquiry_id → login name
    conversion_7: float | None = None  # fractions
    conversion_28: float | None = None
    sync_failing_since: datetime | None = None  # Japan time
    now: datetime | None = None  # Japan time, when the mail is made


def alerts(facts: DayFacts, rules: AlertSettings, lang: str) -> list[str]:
    """The owner's alerts that fire, worded in lang."""
    out: list[str] = []
    overdue = [i for i in facts.items.get("quote_due", []) if i.overdue]
    if rules.overdue_quotes and len(overdue) >= rules.overdue_quotes:
        out.append(t("notify.alert.overdue", lang, n=len(overdue), limit=rules.overdue_quotes))
    unclaimed = [i for i in facts.items.get("sign_by", []) if i.inquiry_id not in facts.claims]
    if unclaimed and facts.now is not None and facts.now.hour >= rules.sign_by_unclaimed_hour:
        out.append(
            t(
                "notify.alert.sign_by",
                lang,
                n=len(unclaimed),
                hour=rules.sign_by_unclaimed_hour,
                ids=", ".join(i.inquiry_id for i in unclaimed),
            )
        )
    if (
        rules.conversion_drop_points
        and facts.conversion_7 is not None
        and facts.conversion_28 is not None
        and (facts.conversion_28 - facts.conversion_7) * 100 >= rules.conversion_drop_points
    ):
        out.append(
            t(
                "notify.alert.conversion",
                lang,
                last=f"{facts.conversion_7 * 100:.0f}",
                before=f"{facts.conversion_28 * 100:.0f}",
                points=rules.conversion_drop_points,
                recent=RECENT_DAYS,
                previous=PREVIOUS_DAYS,
            )
        )
    since = facts.sync_failing_since
    if (
        since is not None
        and facts.now is not None
        and rules.sync_failing_minutes
        and facts.now - since > timedelta(minutes=rules.sync_failing_minutes)
    ):
        out.append(t("notify.alert.sync", lang, since=f"{since:%Y-%m-%d %H:%M}"))
    return out


# ------------------------------------------------------------------------------------- the mail


def _link(base: str, inquiry_id: str, lang: str) -> str:
    return f"{base.rstrip('/')}/inquiries?inquiry={quote(inquiry_id)}&lang={lang}" if base else ""


def _item_lines(item: WorkItem, base: str, lang: str) -> list[str]:
    phone = item.target_phone or t("blank.phone", lang)
    lines = [
        f"- {item.inquiry_id}  {item.customer_name}  {phone}  {item.requested_for}",
        f"  → {item.next_step}",
    ]
    link = _link(base, item.inquiry_id, lang)
    if link:
        lines.append(f"  {link}")
    return lines


def mail_text(who: Recipient, day: date, facts: DayFacts, base: str, fired: list[str]) -> str:
    """The morning mail's text for one person (their claims, the unclaimed items, alerts)."""
    lang = who.lang
    lines = [t("notify.greeting", lang, name=who.display_name or who.name, day=f"{day:%Y-%m-%d}")]
    if fired:
        lines += ["", t("notify.alerts", lang)] + [f"! {a}" for a in fired]
    mine = [
        i
        for name in STAFF_LISTS
        for i in facts.items[name]
        if facts.claims.get(i.inquiry_id) == who.name
    ]
    lines += ["", t("notify.mine", lang, n=len(mine))]
    for item in mine:
        lines += _item_lines(item, base, lang)
    for name in STAFF_LISTS:
        free = [i for i in facts.items[name] if i.inquiry_id not in facts.claims]
        lines += ["", f"{t(f'list.{name}', lang)} — {t('notify.unclaimed', lang, n=len(free))}"]
        for item in free:
            lines += _item_lines(item, base, lang)
    if base:
        lines += ["", t("notify.open", lang, url=f"{base.rstrip('/')}/today?lang={lang}")]
    lines += ["", t("notify.footer", lang)]
    return "\n".join(lines) + "\n"


def build_mail(
    who: Recipient,
    day: date,
    facts: DayFacts,
    sender: str,
    base: str,
    fired: list[str],
    ics: bytes,
) -> EmailMessage:
    """One person's morning mail: text in their language and the upcoming calls as .ics."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = str(Address(who.display_name or who.name, addr_spec=who.email))
    subject_key = "notify.subject_alerts" if fired else "notify.subject"
    msg["Subject"] = t(subject_key, who.lang, day=f"{day:%Y-%m-%d}", n=len(fired))
    msg["Date"] = format_datetime(
        facts.now.astimezone() if facts.now else datetime.now().astimezone()
    )
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or "localhost")
    msg["Content-Language"] = who.lang
    msg.set_content(mail_text(who, day, facts, base, fired), charset="utf-8")
    msg.add_attachment(ics, maintype="text", subtype="calendar", filename=f"calls-{day:%Y%m%d}.ics")
    return msg


def morning_mails(
    people: Iterable[Recipient],
    day: date,
    facts: DayFacts,
    settings: Settings,
    sender: str,
    words: Callable[[str], dict[str, list[WorkItem]]],
) -> list[tuple[Recipient, EmailMessage]]:
    """Every person's mail for day; words(lang) gives the lists worded in that language."""
    base = str(settings.table("notify").get("dashboard_url", "") or "")
    rules = alert_settings(settings)
    out = []
    for who in people:
        items = words(who.lang)
        person_facts = DayFacts(**{**facts.__dict__, "items": items})
        fired = alerts(person_facts, rules, who.lang) if who.role == "owner" else []
        ics = upcoming_calendar(items["upcoming"], day, who.lang)
        out.append((who, build_mail(who, day, person_facts, sender, base, fired, ics)))
    return out


def write_eml(mails: list[tuple[Recipient, EmailMessage]], out: Path, day: date) -> list[Path]:
    """--dry-run --out DIR: each mail as DIR/<day>-<login>.eml."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for who, msg in mails:
        path = out / f"{day:%Y-%m-%d}-{who.name}.eml"
        path.write_bytes(msg.as_bytes())
        paths.append(path)
    return paths


def send_mails(
    mails: list[tuple[Recipient, EmailMessage]],
    smtp: SmtpSettings,
    sent: Callable[[Recipient], None],
) -> None:
    """Send each mail through [smtp]; sent(who) right after each one the server accepted."""
    password = os.environ.get(SMTP_PASSWORD_ENV, "")
    context = ssl.create_default_context(cafile=os.environ.get("OPSDASH_SMTP_CAFILE"))
    if smtp.ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.real_port, context=context, timeout=60
        )
    else:
        server = smtplib.SMTP(smtp.host, smtp.real_port, timeout=60)
    try:
        if smtp.tls and not smtp.ssl:
            server.starttls(context=context)
        if smtp.user:
            server.login(smtp.user, password)
        for who, msg in mails:
            server.send_message(msg)
            sent(who)
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
