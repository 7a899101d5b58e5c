"""The `today` command: the staff lists for a day, as text, JSON, CSV, .xlsx or iCalendar.

Everything it reads with (DuckDB, pandas, the worklist) loads when it runs, not when the CLI starts.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.cli_exit import say
from pipelines.i18n import LANGS, t
from pipelines.vocabulary import STAFF_LISTS

if TYPE_CHECKING:
    from pipelines.worklist import WorkItem


def _today_items(args: argparse.Namespace) -> tuple[date, dict[str, list[WorkItem]], str | None]:
    """The day, its list items, and the stale-data notice (None when the data reaches the day)."""
    from pipelines import api, work_cli
    from pipelines.build import connect
    from pipelines.office import marks
    from pipelines.periods import stale_text
    from pipelines.queries import freshness
    from pipelines.settings import load_settings
    from pipelines.worklist import mine, work_items

    settings = load_settings()
    args.lang = args.lang or settings.language  # the office language unless --lang (SPEC)
    who = work_cli.person(args.db, args.as_name) if args.as_name or args.mine else None
    con = connect(args.db, settings)
    try:
        day = args.as_of or api.today_in_japan()
        lists = api.staff_lists(con, day)
        stale = stale_text(freshness(con), day, args.lang)
    finally:
        con.close()
    items = work_items(lists, args.lang, settings, marks.state(args.db), include_marked=args.all)
    return day, (mine(items, who) if args.mine else items), stale


def cmd_today(args: argparse.Namespace) -> int:
    day, items, stale = _today_items(args)
    _show_today(args, day, items, stale)
    from pipelines.office import audit

    outputs = [k for k in ("csv", "ics", "xlsx", "json") if getattr(args, k, None)] or ["terminal"]
    # recorded once the outputs exist: a failed write exported nothing
    audit.record(
        args.db,
        audit.cli_user(),
        "export",
        {
            "what": "today",
            "as_of": day.isoformat(),
            "rows": sum(len(items[name]) for name in STAFF_LISTS),
            "to": [str(getattr(args, k)) if k in ("csv", "ics", "xlsx") else k for k in outputs],
        },
    )
    return 0


def _show_today(
    args: argparse.Namespace, day: date, items: dict[str, list[WorkItem]], stale: str | None
) -> None:
    """The day's lists written to the files asked for, as JSON, or as text."""
    from pipelines import worklist
    from pipelines.export import write_atomic
    from pipelines.office.accounts import display_names
    from pipelines.settings import load_settings
    from pipelines.worklist import holder_text, queue_csv, queue_xlsx, upcoming_calendar

    settings = load_settings()
    # the files name holders and note writers as the cards do (an account's display name)
    names = display_names(args.db) if args.csv or args.xlsx else {}
    # with --json, stdout carries only the JSON: what was written goes to stderr
    if args.csv:
        write_atomic(args.csv, queue_csv(items, args.lang, names))
        n = sum(len(items[name]) for name in STAFF_LISTS)
        say(t("cli.today.written", args.lang, path=args.csv, n=n), err=args.json)
    if args.xlsx:
        write_atomic(args.xlsx, queue_xlsx(items, args.lang, names))
        n = sum(len(items[name]) for name in STAFF_LISTS)
        # stdout stays pure JSON with --json
        say(t("cli.today.written", args.lang, path=args.xlsx, n=n), err=args.json)
    if args.ics:
        write_atomic(args.ics, upcoming_calendar(items["upcoming"], day, args.lang))
        n = len(items["upcoming"])
        say(t("cli.today.ics_written", args.lang, path=args.ics, n=n), err=args.json)
    if args.json:
        payload = {
            "as_of": day.isoformat(),
            "counts": {name: len(items[name]) for name in STAFF_LISTS},
            "lists": {name: [i.as_dict() for i in items[name]] for name in STAFF_LISTS},
        }
        say(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if args.csv or args.ics or args.xlsx:
        return
    lang = args.lang
    if stale:
        say(stale)
    say(f"{day.isoformat()}")
    for name in STAFF_LISTS:
        say(f"\n{t(f'list.{name}', lang)} ({len(items[name])})")
        if not items[name]:
            say("  " + t(f"list.empty.{name}", lang, settings))
        for item in items[name]:
            say("\n".join(worklist.item_lines(item, lang)))
            state = (
                [t("work.held_by", lang, who=holder_text(item.holder, lang))] if item.holder else []
            )
            state += [t("work.state_done", lang)] if item.done else []
            if item.snoozed_until:
                state.append(t("work.snoozed_until", lang, day=item.snoozed_until.isoformat()))
            if state or item.notes:
                say("      " + " · ".join(state + [n["text"] for n in item.notes[-1:]]))


def register(
    sub: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
    iso_date: Callable[[str], date],
) -> None:
    """Add the `today` command to the CLI's sub-commands."""
    p = with_db(sub.add_parser("today", help="the staff lists for a day, with next steps"))
    p.add_argument("--as-of", type=iso_date, default=None, help="the day (default: today in Japan)")
    p.add_argument("--json", action="store_true", help="print the lists as JSON")
    p.add_argument("--csv", type=Path, help="also write every item to this Excel-safe CSV file")
    p.add_argument(
        "--xlsx",
        type=Path,
        help="also write every item to this Excel workbook (typed cells: phone numbers keep "
        "their leading zero)",
    )
    p.add_argument("--ics", type=Path, help="also write the upcoming calls as an iCalendar file")
    p.add_argument("--lang", choices=LANGS, help="wording language (default: the office's)")
    p.add_argument("--as", dest="as_name", default=None, help="who is asking (an account's name)")
    p.add_argument("--mine", action="store_true", help="only my claims and unclaimed items")
    p.add_argument("--all", action="store_true", help="also items marked done or snoozed")
    p.set_defaults(func=cmd_today)
