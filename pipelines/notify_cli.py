"""`python -m pipelines notify [--as-of A] [--dry-run --out DIR]`: the morning mail, once per person a day."""

from __future__ import annotations

import smtplib
import sys
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

from pipelines import api
from pipelines.build import connect
from pipelines.i18n import t
from pipelines.loader import japan_now
from pipelines.notify import (
    DayFacts,
    Recipient,
    morning_mails,
    send_mails,
    smtp_settings,
    write_eml,
)
from pipelines.settings import Settings
from pipelines.sync import read_status
from pipelines.worklist import work_items

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _sql(name: str) -> str:
    text = resources.files("pipelines.office").joinpath("notify.sql").read_text(encoding="utf-8")
    chunks = text.split("-- name: ")
    return next(c.split("\n", 1)[1].strip() for c in chunks if c.startswith(name + "\n"))


def recipients(db: Path) -> list[Recipient]:
    """Every enabled account with an e-mail address (accounts live in the office store)."""
    from pipelines.office.accounts import list_accounts

    return [
        Recipient(a.name, a.display_name, a.email, a.lang, a.role)
        for a in list_accounts(db)
        if a.email and not a.disabled
    ]


def already_sent(db: Path, day: date) -> set[str]:
    """The login names that got day's mail already."""
    from pipelines.office.store import office

    with office(db, write=True) as con:
        con.execute(_sql("notify_create"))
        return {r[0] for r in con.execute(_sql("notify_sent_on"), {"day": day.isoformat()})}


def record_sent(db: Path, day: date, who: Recipient) -> None:
    """Record that who got day's mail (and put it in the audit trail), in one transaction."""
    from pipelines.office.audit import cli_user, record_in
    from pipelines.office.store import office

    with office(db, write=True) as con:
        con.execute(_sql("notify_create"))
        con.execute(
            _sql("notify_insert"),
            {
                "day": day.isoformat(),
                "account": who.name,
                "email": who.email,
                "sent_at": japan_now().isoformat(timespec="seconds"),
            },
        )
        record_in(
            con,
            cli_user(),
            "export",
            {"what": "morning_mail", "to": who.name, "day": day.isoformat()},
        )


def _claims(db: Path) -> dict[str, str]:
    """inquiry_id → who claimed it (empty when marks are not kept)."""
    try:
        from pipelines.office import marks
    except ImportError:
        return {}
    return {inquiry: mark.who for inquiry, mark in marks.state(db).holders.items()}


def day_facts(db: Path, settings: Settings, day: date, now: datetime) -> tuple[DayFacts, object]:
    """The day's lists (worded per language by the returned function) and what alerts read."""
    con = connect(db, settings)
    try:
        lists = api.staff_lists(con, day)
        last = api.headline(con, day, day - timedelta(days=6), day).get("conversion_rate")
        before = api.headline(con, day, day - timedelta(days=34), day - timedelta(days=7)).get(
            "conversion_rate"
        )
    finally:
        con.close()
    status = read_status(db) or {}
    failing = None
    if status.get("outcome") not in (None, "ok") and status.get("first_failure_at"):
        failing = datetime.fromisoformat(str(status["first_failure_at"]))
    facts = DayFacts(
        items={},
        claims=_claims(db),
        conversion_7=last,
        conversion_28=before,
        sync_failing_since=failing,
        now=now,
    )
    return facts, lambda lang: work_items(lists, lang, settings)


def run(db: Path, settings: Settings, as_of: date | None, dry_run: bool, out: Path | None) -> int:
    """The notify command; the exit code."""
    lang = settings.language
    now = japan_now()
    day = as_of or now.date()
    if as_of is not None:
        now = datetime.combine(as_of, now.time())
    smtp = smtp_settings(settings)
    if not dry_run and (not smtp.host or not smtp.sender):
        print(t("cli.error", lang, text=t("notify.no_smtp", lang)), file=sys.stderr)
        return EXIT_BAD_INPUT
    people = recipients(db)
    if not people:
        print(t("notify.nobody", lang))
        return EXIT_OK
    done = set() if dry_run else already_sent(db, day)
    todo = [p for p in people if p.name not in done]
    facts, words = day_facts(db, settings, day, now)
    sender = smtp.sender or "opsdash@localhost"
    mails = morning_mails(todo, day, facts, settings, sender, words)
    if dry_run:
        target = out or Path(".")
        write_eml(mails, target, day)
        print(t("notify.dry_run", lang, day=f"{day:%Y-%m-%d}", n=len(mails), out=target))
        return EXIT_OK
    sent: list[str] = []

    def mark(who: Recipient) -> None:
        record_sent(db, day, who)
        sent.append(who.name)

    try:
        send_mails(mails, smtp, mark)
    except (OSError, smtplib.SMTPException) as exc:
        problem = str(exc) or type(exc).__name__
        failed = t("notify.smtp_failed", lang, host=smtp.host, problem=problem, sent=len(sent))
        print(t("cli.error", lang, text=failed), file=sys.stderr)
        return EXIT_FAILED
    print(t("notify.done", lang, day=f"{day:%Y-%m-%d}", sent=len(sent), skipped=len(done)))
    return EXIT_OK


def cmd_notify(args: object) -> int:
    """`python -m pipelines notify`."""
    from pipelines.settings import load_settings

    if args.dry_run and args.out is None:
        args.out = Path(".")
    return run(args.db, load_settings(), args.as_of, args.dry_run, args.out)
