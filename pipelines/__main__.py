"""Command line: python -m pipelines {load,sample,report,today,digest,check,demo,users,audit} --help."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pipelines import api, interrupts, work_cli, worklist
from pipelines.build import connect
from pipelines.cli_exit import (
    cli_lang,
    failed,
    interrupted,
    quiet_stdout,
    say,
)
from pipelines.export import write_atomic
from pipelines.i18n import LANGS, load_part_text, load_problems_text, status_label, t, yen
from pipelines.loader import load_files
from pipelines.mail_cli import add_mail_commands
from pipelines.metrics import REPORT_METRICS, Metric
from pipelines.office import cli as people
from pipelines.office import marks
from pipelines.periods import stale_text
from pipelines.queries import freshness, quarantine
from pipelines.settings import SettingsError, load_settings, parse_override
from pipelines.store import (
    default_db_path,
)
from pipelines.vocabulary import STAFF_LIST_REGISTRY, STAFF_LISTS
from pipelines.worklist import WorkItem, mine, queue_csv, queue_xlsx, upcoming_calendar, work_items

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def _override(text: str) -> tuple[str, object]:
    try:
        return parse_override(text)
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _progress_bar() -> object:
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(name: str, done: int, total: int) -> None:
        if total < 8 * 1024 * 1024:
            return
        bar = bars.get(name)
        if bar is None:
            bar = bars[name] = tqdm(
                total=total,
                desc=f"reading {name}",
                unit="B",
                unit_scale=True,
                file=sys.stderr,
                leave=False,
            )
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def cmd_load(args: argparse.Namespace) -> int:
    interrupts.hold_after_swap()  # after the swap, a signal waits until the summary is printed
    result = load_files(
        args.files,
        args.db,
        progress=_progress_bar(),
        wait_seconds=args.wait,
        skip_sheets=getattr(args, "skip_sheet", None) or (),
        replace_events=getattr(args, "replace_events", False),
    )
    people.record_cli(
        args.db,
        "load",
        {
            "files": [Path(f).name for f in args.files],
            "rows_loaded": sum(p.rows_loaded for p in result.parts),
            "swapped": result.swapped,
        },
    )
    interrupts.checkpoint("recorded")
    lang = cli_lang(args)
    for part in result.parts:
        say(load_part_text(part, lang))
    if result.swapped and result.problems():
        with connect(args.db) as con:  # the newest quarantined rows are this load's: their reasons
            held_back = quarantine(con).head(3).to_dict("records")
        say(load_problems_text(result, lang, held_back))
    state = "cli.load.updated" if result.swapped else "cli.load.unchanged"
    say(t(state, lang, path=result.db_path, seconds=result.seconds))
    interrupts.checkpoint("printed")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    if Path(args.db).exists():
        con = connect(args.db)
        try:
            loaded = con.execute("SELECT count(*) FROM inquiries").fetchone()[0]
        finally:
            con.close()
        if loaded:
            say(t("cli.sample.not_needed", cli_lang(args), path=args.db, n=loaded))
            return 0
    files = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix in (".csv", ".xlsx"))
    say(t("cli.sample.loading", cli_lang(args), path=args.db, n=len(files)))
    args.files = files
    return cmd_load(args)


def _metric_value(metric: Metric, value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    if metric.unit == "rate":
        return f"{value * 100:.1f} %"
    if metric.unit == "yen":
        return yen(value, lang)
    if metric.unit == "minutes" and not metric.integer:
        return t("cli.unit.minutes", lang, value=value)
    return f"{value:,}"


def cmd_report(args: argparse.Namespace) -> int:
    overrides = dict(args.set or [])
    con = connect(args.db)
    try:
        data = api.report(
            con, as_of=args.as_of, start=args.start, end=args.end, overrides=overrides
        )
    finally:
        con.close()
    if args.json:
        say(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    settings = load_settings().with_overrides(overrides)
    lang = cli_lang(args)
    rows = [(t("cli.report.as_of", lang), data["as_of"])]
    rows += [
        (t(f"metric.{m.name}", lang, settings), _metric_value(m, data[m.name], lang))
        for m in REPORT_METRICS
    ]
    rows += [(t(f"list.{x.name}", lang), f"{data[x.report_key]:,}") for x in STAFF_LIST_REGISTRY]
    rows += [(t("cli.report.overdue", lang), f"{data['quote_overdue']:,}")]
    rows += [(t("cli.report.quarantined", lang), f"{data['quarantined_rows']:,}")]
    if overrides:
        shown = {
            k: settings.calendar_key() if k == "closed_days" else v for k, v in overrides.items()
        }
        what_if = ", ".join(f"{k}={v}" for k, v in shown.items())
        rows.insert(1, (t("cli.report.whatif", lang), what_if))
    width = max(_width(k) for k, _ in rows)
    for key, value in rows:
        say(f"{_pad(key, width)}  {value}")
    say("\n" + t("cli.report.status", lang))
    for status, n in data["status_counts"].items():
        say(f"  {_pad(status_label(status, lang), width)}{n:>8,}")
    return 0


def _width(text: str) -> int:
    """Columns text takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """text followed by spaces up to width terminal columns."""
    return text + " " * max(0, width - _width(text))


def _today_items(args: argparse.Namespace) -> tuple[date, dict[str, list[WorkItem]], str | None]:
    """The day, its list items, and the stale-data notice (None when the data reaches the day)."""
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
    outputs = [k for k in ("csv", "ics", "xlsx", "json") if getattr(args, k, None)] or ["terminal"]
    # recorded once the outputs exist: a failed write exported nothing
    people.record_cli(
        args.db,
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
    settings = load_settings()
    # with --json, stdout carries only the JSON: what was written goes to stderr
    if args.csv:
        write_atomic(args.csv, queue_csv(items, args.lang))
        n = sum(len(items[name]) for name in STAFF_LISTS)
        say(t("cli.today.written", args.lang, path=args.csv, n=n), err=args.json)
    if args.xlsx:
        write_atomic(args.xlsx, queue_xlsx(items, args.lang))
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
                [t("work.held_by", lang, who=_holder_words(item.holder, lang))]
                if item.holder
                else []
            )
            state += [t("work.state_done", lang)] if item.done else []
            if item.snoozed_until:
                state.append(t("work.snoozed_until", lang, day=item.snoozed_until.isoformat()))
            if state or item.notes:
                say("      " + " · ".join(state + [n["text"] for n in item.notes[-1:]]))


def _holder_words(who: str, lang: str) -> str:
    """A holder as the page shows it: a mark made on this computer without an account (os:<user>)
    reads "this computer", any other name as recorded."""
    return t("work.this_computer", lang) if who.startswith("os:") else who


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.demo import generate, write_exports

    data = generate(args.inquiries, seed=args.seed, as_of=args.as_of, text=args.text)
    paths = write_exports(data, args.out, style=args.style)
    say(
        t(
            "cli.demo.written",
            cli_lang(args),
            inquiries=len(data.inquiries),
            events=len(data.events),
            path=args.out,
        )
    )
    for path in paths:
        say(f"  {path}")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from pipelines.digest import digest_html  # charts and vl-convert load only for this command

    args.lang = args.lang or load_settings().language  # the office's unless --lang says
    con = connect(args.db)  # first: a mistyped --db creates nothing, not even an office store
    try:
        page = digest_html(con, args.as_of, args.lang)
    finally:
        con.close()
    path = write_atomic(args.out, page.encode("utf-8"))
    people.record_cli(  # once the file exists: a failed write exported nothing
        args.db,
        "export",
        {"what": "digest", "as_of": str(args.as_of or api.today_in_japan()), "to": str(args.out)},
    )
    day = args.as_of or api.today_in_japan()
    say(t("cli.digest.written", args.lang, path=path, day=day, language=args.lang))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipelines.audits import run_audits

    con = connect(args.db)
    try:
        results = run_audits(con)
    finally:
        con.close()
    lang = cli_lang(args)
    failed = [r for r in results if r.failing_rows]
    for r in results:
        if not r.failing_rows:
            say(t("cli.check.ok", lang, name=r.name, description=r.description))
            continue
        problem = t(f"audit.{r.name}", lang, n=r.failing_rows)
        say(
            t(
                "cli.check.fail",
                lang,
                name=r.name,
                description=r.description,
                n=r.failing_rows,
                example=r.example,
                problem=problem,
            )
        )
    say("\n" + t("cli.check.summary", lang, passed=len(results) - len(failed), failed=len(failed)))
    return 1 if failed else 0


def _with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--db",
        type=Path,
        default=default_db_path(),
        help="database file (default: $OPSDASH_DB or data/ops.duckdb)",
    )
    return p


def _with_lang(p: argparse.ArgumentParser, text: str | None = None) -> argparse.ArgumentParser:
    """The --lang option: the language of the command's sentences (default: the office's)."""
    p.add_argument(
        "--lang", choices=LANGS, help=text or "language of the messages (default: the office's)"
    )
    return p


def _add_load(sub: argparse._SubParsersAction) -> None:
    """The `load` command's arguments."""
    p = _with_db(
        sub.add_parser(
            "load", help="load inquiry/quote log exports (CSV or .xlsx) into the database"
        )
    )
    p.add_argument("files", nargs="+", type=Path, help="export files, applied in the order given")
    p.add_argument(
        "--wait",
        type=float,
        default=120.0,
        help="seconds to wait for another running load (default 120)",
    )
    p.add_argument(
        "--skip-sheet",
        action="append",
        default=[],
        metavar="NAME",
        help="a workbook sheet not to load (repeatable); a sheet with data but no recognisable "
        "header refuses its workbook otherwise",
    )
    p.add_argument(
        "--replace-events",
        action="store_true",
        help="each quote log's events replace every stored event of the inquiries it names (for a "
        "re-export with corrected amounts or minutes; files loaded before are applied again)",
    )
    _with_lang(p)
    p.set_defaults(func=cmd_load)


def _add_sample(sub: argparse._SubParsersAction) -> None:
    """The `sample` command's arguments."""
    p = _with_db(
        sub.add_parser("sample", help="load the bundled sample data when the database is empty")
    )
    p.add_argument(
        "--wait", type=float, default=120.0, help="seconds to wait for another running load"
    )
    _with_lang(p)
    p.set_defaults(func=cmd_sample)


def _add_report(sub: argparse._SubParsersAction) -> None:
    """The `report` command's arguments."""
    p = _with_db(sub.add_parser("report", help="headline metrics for a period, as of a date"))
    p.add_argument("--json", action="store_true", help="print the machine-readable JSON object")
    p.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        help="evaluate as of the end of this day (default: today in Japan)",
    )
    p.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        default=None,
        help="first day received (default: the beginning)",
    )
    p.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        default=None,
        help="last day received (default: the as-of date)",
    )
    p.add_argument(
        "--set",
        type=_override,
        action="append",
        metavar="NAME=VALUE",
        help="what-if: compute under a changed setting, e.g. min_lead_days=2 (repeatable; "
        "the settings file is not changed)",
    )
    _with_lang(p, "wording language (default: the office's; --json is the same in both)")
    p.set_defaults(func=cmd_report)


def _add_today(sub: argparse._SubParsersAction) -> None:
    """The `today` command's arguments."""
    p = _with_db(sub.add_parser("today", help="the staff's six lists for a day, with next steps"))
    p.add_argument(
        "--as-of", type=_iso_date, default=None, help="the day (default: today in Japan)"
    )
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


def _add_demo(sub: argparse._SubParsersAction) -> None:
    """The `demo` command's arguments."""
    p = sub.add_parser("demo", help="write realistic synthetic exports")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("demo_exports"),
        help="output folder (default demo_exports)",
    )
    p.add_argument("--inquiries", type=int, default=3000, help="number of inquiries (default 3000)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument(
        "--as-of",
        type=_iso_date,
        default=date(2026, 11, 24),
        help="last day of the data (default 2026-11-24)",
    )
    p.add_argument(
        "--style",
        choices=("mixed", "canonical", "cp932"),
        default="mixed",
        help="mixed: like the office's real exports; canonical: English UTF-8 CSV; cp932: the same in CP932",
    )
    p.add_argument(
        "--text",
        choices=("rich", "plain"),
        default="rich",
        help="rich: realistic Japanese names, addresses and messages on every row (default); "
        "plain: a few short texts",
    )
    _with_lang(p)
    p.set_defaults(func=cmd_demo)


def _add_digest(sub: argparse._SubParsersAction) -> None:
    """The `digest` command's arguments."""
    p = _with_db(
        sub.add_parser("digest", help="the owner's weekly digest as one self-contained HTML page")
    )
    p.add_argument(
        "--as-of", type=_iso_date, default=None, help="the last day of the week (default: today)"
    )
    p.add_argument("--lang", choices=LANGS, help="language of the page (default: the office's)")
    p.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    p.set_defaults(func=cmd_digest)


def _add_check(sub: argparse._SubParsersAction) -> None:
    """The `check` command's arguments."""
    p = _with_db(
        sub.add_parser("check", help="run the data-contract audits; exit 1 when any fails")
    )
    _with_lang(p)
    p.set_defaults(func=cmd_check)


def build_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser (every command has --help)."""
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _add_load,
        _add_sample,
        _add_report,
        _add_today,
        add_mail_commands,
        _add_demo,
        _add_digest,
        _add_check,
    ):
        add(sub)
    people.register(sub, _with_db, _iso_date)
    work_cli.register(sub, _with_db, _iso_date)
    return parser


def _lang_given(argv: Sequence[str] | None) -> str | None:
    """The language a command line asks for with --lang (before argparse has read it), or None."""
    words = list(sys.argv[1:] if argv is None else argv)
    for i, word in enumerate(words):
        value = words[i + 1] if word == "--lang" and i + 1 < len(words) else None
        if word.startswith("--lang="):
            value = word.split("=", 1)[1]
        if value in LANGS:
            return value
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (2 for bad input or an unusable database or file, 75 when
    another load is running, 130/143 when interrupted by SIGINT/SIGTERM before the swap). No
    traceback reaches the user."""
    previous = {sig: signal.getsignal(sig) for sig in interrupts.SIGNALS}
    interrupts.install()
    # until the arguments are parsed, a signal or error is worded in the --lang the command line names
    args = argparse.Namespace(command=None, db=None, lang=_lang_given(argv))
    try:
        try:
            args = build_parser().parse_args(argv)
            code = args.func(args)
            sys.stdout.flush()
        except BrokenPipeError:
            quiet_stdout()
            return 0
        except BaseException as exc:
            if isinstance(exc, SystemExit):
                raise
            interrupts.finishing()  # a second signal while the message is worded is only recorded
            signum = interrupts.received()
            if signum is None and isinstance(exc, KeyboardInterrupt):
                signum = signal.SIGINT
            if signum is not None:
                return interrupted(signum, args)
            return failed(exc, args)
        if interrupts.received() is not None and interrupts.swap_completed():
            lang = cli_lang(args)
            if interrupts.came_during_swap() or args.command not in ("load", "sample"):
                say(t("cli.interrupted_during_swap", lang), err=True)
            else:
                say(t("cli.signal_too_late", lang, path=args.db), err=True)
        return code
    finally:
        interrupts.finishing()
        if __name__ != "__main__":  # called in-process (tests): give the caller its handlers back
            interrupts.restore(previous)


if __name__ == "__main__":
    sys.exit(main())
