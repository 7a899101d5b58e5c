"""The work commands: ``mark claim|done|snooze|note|not-inquiry|undo`` and ``draft`` (see __main__).

Who marks: ``--as NAME``. Once accounts exist it must name an enabled account; on a fresh install
without accounts any name is taken as given, and without ``--as`` the mark is the operating-system
user's (``os:<user>``, as the dashboard records marks when nobody signs in).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.i18n import LANGS, t
from pipelines.office import marks
from pipelines.office.marks import MarkError
from pipelines.vocabulary import STAFF_LISTS

# DuckDB, the rules (pipelines.api) and the accounts load when a command runs, not when the CLI starts
if TYPE_CHECKING:
    import duckdb


def person(db: Path, name: str | None) -> str:
    """Who a command marks as: an enabled account's name, or (no accounts) the name given or os:<user>."""
    from pipelines.office import accounts, audit

    if accounts.has_accounts(db):
        if not name:
            raise MarkError("as_needed")
        account = accounts.get_account(db, name)
        if account is None or account.disabled:
            raise MarkError("unknown_person", name=name)
        return account.name
    text = (name or "").strip()
    return text or audit.cli_user()


def last_event(con: duckdb.DuckDBPyConnection, inquiry_id: str) -> datetime | None:
    """The inquiry's latest event (Japan time); MarkError when the inquiry is not loaded."""
    from pipelines.definitions import named_statements

    found = con.execute(
        named_statements("marks.sql")["inquiry_last_event"], {"inquiry_id": inquiry_id}
    ).fetchone()
    if found is None:
        raise MarkError("unknown_inquiry", inquiry_id=inquiry_id)
    return found[1]


def _done(args: argparse.Namespace, db: Path, who: str) -> marks.Mark:
    from pipelines import api
    from pipelines.build import connect

    if not args.list:
        raise MarkError("list_needed", lists=", ".join(STAFF_LISTS))
    if args.list not in STAFF_LISTS:
        raise MarkError("bad_list", list=args.list, lists=", ".join(STAFF_LISTS))
    day = args.as_of or api.today_in_japan()
    con = connect(db)
    try:
        seen = last_event(con, args.id)
        on = api.lists_of(con, args.id, day)
    finally:
        con.close()
    if args.list not in set(on["list"]):
        raise MarkError("not_on_list", inquiry_id=args.id, list=args.list, day=day.isoformat())
    return marks.done(db, args.id, args.list, day, who, seen)


def cmd_mark(args: argparse.Namespace) -> int:
    """mark VERB ID …: one mark, as --as NAME; prints what was recorded."""
    from pipelines.build import connect

    db, lang = args.db, args.lang
    who = person(db, args.as_name)
    if args.verb not in ("undo", "done"):
        con = connect(db)  # the inquiry must be loaded (a typo never makes a mark)
        try:
            last_event(con, args.id)
        finally:
            con.close()
    if args.verb == "claim":
        mark = marks.claim(db, args.id, who, takeover=args.takeover)
    elif args.verb == "done":
        mark = _done(args, db, who)
    elif args.verb == "snooze":
        if args.until is None:
            raise MarkError("until_needed")
        mark = marks.snooze(db, args.id, args.until, who)
    elif args.verb == "note":
        mark = marks.note(db, args.id, args.text or "", who)
    elif args.verb == "not-inquiry":
        if not args.reason:
            raise MarkError("reason_needed", reasons=", ".join(marks.REASONS))
        mark = marks.not_inquiry(db, args.id, args.reason, who, args.text or "")
    else:
        mark = marks.undo(db, args.id, who, seq=args.mark)
    if args.json:
        print(json.dumps(mark.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(
            t(
                f"mark.done_msg.{mark.kind}",
                lang,
                inquiry_id=mark.inquiry_id,
                who=mark.who,
                seq=mark.seq,
            )
        )
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """draft ID [--lang] [--as-of]: print the reply the inquiry's rules call for."""
    from pipelines import api, drafts, queries
    from pipelines.build import connect
    from pipelines.settings import load_settings

    settings = load_settings()
    day = args.as_of or api.today_in_japan()
    con = connect(args.db, settings)
    try:
        facts = queries.inquiry_detail(con, args.id, day)
        on = set(api.lists_of(con, args.id, day)["list"]) if facts is not None else set()
    finally:
        con.close()
    if facts is None:
        raise MarkError("unknown_inquiry", inquiry_id=args.id)
    draft = drafts.draft_for(facts, on, settings, lang=args.lang)
    if draft is None:
        print(t("drafts.none", args.lang or "en", inquiry_id=args.id))
        return 0
    if args.json:
        print(json.dumps(draft.as_dict() | {"mailto": drafts.mailto(draft)}, ensure_ascii=False))
        return 0
    print(
        t("cli.draft.headers", draft.lang, to=draft.to, subject=draft.subject) + f"\n\n{draft.body}"
    )
    return 0


def error_text(exc: MarkError, lang: str) -> str:
    """A MarkError as one line in lang."""
    return t(f"mark.err.{exc.code}", lang, **{k: str(v) for k, v in exc.values.items()})


def register(
    sub: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
    iso_date: Callable[[str], date],
) -> None:
    """Add the mark and draft commands to the CLI's sub-commands."""
    p = with_db(
        sub.add_parser(
            "mark", help="the office's marks: claim, done, snooze, note, not-inquiry, undo"
        )
    )
    p.add_argument("verb", choices=("claim", "done", "snooze", "note", "not-inquiry", "undo"))
    p.add_argument("id", help="the inquiry ID")
    p.add_argument("--as", dest="as_name", default=None, help="who marks (an account's name)")
    p.add_argument("--list", choices=STAFF_LISTS, default=None, help="done: the staff list")
    p.add_argument(
        "--as-of", type=iso_date, default=None, help="done: the day A (default: today in Japan)"
    )
    p.add_argument("--until", type=iso_date, default=None, help="snooze: back on the lists then")
    p.add_argument("--text", default=None, help="note: its text; not-inquiry: an explanation")
    p.add_argument("--reason", choices=marks.REASONS, default=None, help="not-inquiry: why")
    p.add_argument("--takeover", action="store_true", help="claim: take it from its holder")
    p.add_argument(
        "--mark", type=int, default=None, help="undo: the mark's number (default: newest)"
    )
    p.add_argument("--json", action="store_true", help="print the mark as JSON")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the messages")
    p.set_defaults(func=cmd_mark)

    p = with_db(sub.add_parser("draft", help="the reply an inquiry's rules call for, to send"))
    p.add_argument("id", help="the inquiry ID")
    p.add_argument(
        "--lang", choices=LANGS, default=None, help="ja or en (default: the customer's language)"
    )
    p.add_argument("--as-of", type=iso_date, default=None, help="the day (default: today)")
    p.add_argument("--json", action="store_true", help="print it as JSON, with the mailto: link")
    p.set_defaults(func=cmd_draft)
