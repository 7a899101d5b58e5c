"""Command line: python -m pipelines {load,sample,report,today,digest,check,demo} --help."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb

from pipelines import api
from pipelines.build import connect
from pipelines.i18n import LANGS, status_label, t
from pipelines.loader import load_files
from pipelines.metrics import REPORT_METRICS, Metric
from pipelines.readers import FileRefused
from pipelines.settings import SettingsError, load_settings, parse_override
from pipelines.store import (
    DatabaseMissing,
    DatabaseTooNew,
    LoadBusy,
    NotADatabase,
    default_db_path,
)
from pipelines.vocabulary import STAFF_LIST_REGISTRY, STAFF_LISTS
from pipelines.worklist import WorkItem, queue_csv, upcoming_calendar, work_items

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
EXIT_BAD_INPUT = 2
EXIT_BUSY = 75
EXIT_INTERRUPTED = 130


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
    result = load_files(
        args.files,
        args.db,
        progress=_progress_bar(),
        wait_seconds=args.wait,
        skip_sheets=getattr(args, "skip_sheet", None) or (),
    )
    for part in result.parts:
        print(part.summary())
    state = "database updated" if result.swapped else "database unchanged"
    print(f"{state}: {result.db_path} ({result.seconds:.1f} s)")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    if Path(args.db).exists():
        con = connect(args.db)
        try:
            loaded = con.execute("SELECT count(*) FROM inquiries").fetchone()[0]
        finally:
            con.close()
        if loaded:
            print(f"{args.db}: {loaded:,} inquiries already loaded; sample not needed")
            return 0
    files = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix in (".csv", ".xlsx"))
    print(f"{args.db}: empty database, loading the bundled sample ({len(files)} files)")
    args.files = files
    return cmd_load(args)


def _metric_value(metric: Metric, value: float | None) -> str:
    if value is None:
        return "—"
    if metric.unit == "rate":
        return f"{value * 100:.1f} %"
    if metric.unit == "yen":
        return f"¥{value:,.0f}"
    if metric.unit == "minutes" and not metric.integer:
        return f"{value:.1f} min"
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
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    settings = load_settings().with_overrides(overrides)
    rows = [("As of", data["as_of"])]
    rows += [
        (t(f"metric.{m.name}", "en", settings), _metric_value(m, data[m.name]))
        for m in REPORT_METRICS
    ]
    rows += [(t(f"list.{x.name}", "en"), f"{data[x.report_key]:,}") for x in STAFF_LIST_REGISTRY]
    rows += [("Overdue quotes", f"{data['quote_overdue']:,}")]
    rows += [("Quarantined rows", f"{data['quarantined_rows']:,}")]
    if overrides:
        shown = {
            k: settings.calendar_key() if k == "closed_days" else v for k, v in overrides.items()
        }
        rows.insert(1, ("What-if settings", ", ".join(f"{k}={v}" for k, v in shown.items())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print("\nStatus")
    for status, n in data["status_counts"].items():
        print(f"  {status_label(status):<{width}}{n:>8,}")
    return 0


def _today_items(args: argparse.Namespace) -> tuple[date, dict[str, list[WorkItem]]]:
    settings = load_settings()
    con = connect(args.db, settings)
    try:
        day = args.as_of or api.today_in_japan()
        lists = api.staff_lists(con, day)
    finally:
        con.close()
    return day, work_items(lists, args.lang, settings)


def cmd_today(args: argparse.Namespace) -> int:
    day, items = _today_items(args)
    settings = load_settings()
    if args.csv:
        args.csv.write_bytes(queue_csv(items, args.lang))
        print(f"{args.csv}: {sum(len(items[name]) for name in STAFF_LISTS):,} items")
    if args.ics:
        args.ics.write_bytes(upcoming_calendar(items["upcoming"], day, args.lang))
        print(f"{args.ics}: {len(items['upcoming']):,} upcoming calls")
    if args.json:
        payload = {
            "as_of": day.isoformat(),
            "counts": {name: len(items[name]) for name in STAFF_LISTS},
            "lists": {name: [i.as_dict() for i in items[name]] for name in STAFF_LISTS},
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if args.csv or args.ics:
        return 0
    lang = args.lang
    print(f"{day.isoformat()}")
    for name in STAFF_LISTS:
        print(f"\n{t(f'list.{name}', lang)} ({len(items[name])})")
        if not items[name]:
            print("  " + t(f"list.empty.{name}", lang, settings))
        for item in items[name]:
            phone = item.target_phone or t("blank.phone", lang)
            print(
                f"  {item.inquiry_id}  {item.customer_name}  {phone}  {item.requested_for}"
                f"  {item.service or ''}"
            )
            print(f"      → {item.next_step}")
    return 0


def cmd_mailbox(args: argparse.Namespace) -> int:
    from pipelines.mailbox import (  # HTML parsing loads only for this command
        MailboxError,
        load_mailbox_settings,
        run_cli,
    )

    settings_file = args.settings
    if settings_file is None and os.environ.get("OPSDASH_SETTINGS"):
        settings_file = Path(os.environ["OPSDASH_SETTINGS"])
    try:
        if not load_mailbox_settings(settings_file).office_addresses:
            from pipelines.i18n import t
            from pipelines.sync import settings_source

            lang = load_settings(settings_file).language
            where = str(settings_file) if settings_file else settings_source()
            print(
                f"error: {t('sync.refused.no_office_addresses', lang, file=where)}", file=sys.stderr
            )
            return EXIT_BAD_INPUT
        return run_cli(args.paths, args.out, settings_file)
    except MailboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def cmd_sync(args: argparse.Namespace) -> int:
    from pipelines.sync_cli import run

    return run(args.db, load_settings(), args.every, args.dry_run)


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.demo import generate, write_exports

    data = generate(args.inquiries, seed=args.seed, as_of=args.as_of, text=args.text)
    paths = write_exports(data, args.out, style=args.style)
    print(
        f"{len(data.inquiries):,} inquiries and {len(data.events):,} events written to {args.out}:"
    )
    for path in paths:
        print(f"  {path}")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from pipelines.digest import write_digest  # charts and vl-convert load only for this command

    con = connect(args.db)
    try:
        path = write_digest(con, args.out, args.as_of, args.lang)
    finally:
        con.close()
    print(f"{path}: digest as of {args.as_of or api.today_in_japan()} ({args.lang})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipelines.audits import run_audits

    con = connect(args.db)
    try:
        results = run_audits(con)
    finally:
        con.close()
    failed = [r for r in results if r.failing_rows]
    for r in results:
        mark = "ok  " if not r.failing_rows else "FAIL"
        print(
            f"{mark} {r.name}: {r.description}"
            + (f" — {r.failing_rows:,} rows, e.g. {r.example}" if r.failing_rows else "")
        )
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--db",
        type=Path,
        default=default_db_path(),
        help="database file (default: $OPSDASH_DB or data/ops.duckdb)",
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
    p.set_defaults(func=cmd_load)


def _add_sample(sub: argparse._SubParsersAction) -> None:
    """The `sample` command's arguments."""
    p = _with_db(
        sub.add_parser("sample", help="load the bundled sample data when the database is empty")
    )
    p.add_argument(
        "--wait", type=float, default=120.0, help="seconds to wait for another running load"
    )
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
    p.set_defaults(func=cmd_report)


def _add_today(sub: argparse._SubParsersAction) -> None:
    """The `today` command's arguments."""
    p = _with_db(sub.add_parser("today", help="the staff's six lists for a day, with next steps"))
    p.add_argument(
        "--as-of", type=_iso_date, default=None, help="the day (default: today in Japan)"
    )
    p.add_argument("--json", action="store_true", help="print the lists as JSON")
    p.add_argument("--csv", type=Path, help="also write every item to this Excel-safe CSV file")
    p.add_argument("--ics", type=Path, help="also write the upcoming calls as an iCalendar file")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the wording (en, ja)")
    p.set_defaults(func=cmd_today)


def _add_mailbox(sub: argparse._SubParsersAction) -> None:
    """The `mailbox` command's arguments."""
    p = sub.add_parser(
        "mailbox",
        help="turn a mailbox export (.mbox, folders of .eml) into an inquiry log, a quote log "
        "and a review sheet",
    )
    p.add_argument("paths", nargs="+", type=Path, help=".mbox files or folders of .eml files")
    p.add_argument("--out", type=Path, required=True, help="folder for the three CSV files")
    p.add_argument(
        "--settings",
        type=Path,
        default=None,
        help="settings file with a [mailbox] table (default: $OPSDASH_SETTINGS, else the defaults)",
    )
    p.set_defaults(func=cmd_mailbox)


def _add_sync(sub: argparse._SubParsersAction) -> None:
    """The `sync` command's arguments."""
    p = _with_db(
        sub.add_parser(
            "sync",
            help="read new mail from the office's IMAP folders ([imap] settings, password in "
            "$OPSDASH_IMAP_PASSWORD) into the database, all or nothing",
        )
    )
    p.add_argument("--every", metavar="INTERVAL", help="keep running: sync every 5m, 30m, 1h …")
    p.add_argument("--dry-run", action="store_true", help="say what would be added; change nothing")
    p.set_defaults(func=cmd_sync)


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
    p.set_defaults(func=cmd_demo)


def _add_digest(sub: argparse._SubParsersAction) -> None:
    """The `digest` command's arguments."""
    p = _with_db(
        sub.add_parser("digest", help="the owner's weekly digest as one self-contained HTML page")
    )
    p.add_argument(
        "--as-of", type=_iso_date, default=None, help="the last day of the week (default: today)"
    )
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the page (en, ja)")
    p.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    p.set_defaults(func=cmd_digest)


def _add_check(sub: argparse._SubParsersAction) -> None:
    """The `check` command's arguments."""
    p = _with_db(
        sub.add_parser("check", help="run the data-contract audits; exit 1 when any fails")
    )
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
        _add_mailbox,
        _add_sync,
        _add_demo,
        _add_digest,
        _add_check,
    ):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (2 for bad input or an unusable database or file, 75 when
    another load is running, 130 when interrupted). No traceback reaches the user."""
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    unchanged = "Nothing was changed; the database is unchanged."
    try:
        return args.func(args)
    except FileRefused as exc:
        print(f"error: {exc}\n{unchanged}", file=sys.stderr)
        return EXIT_BAD_INPUT

    except LoadBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except SettingsError as exc:
        print(f"error: bad settings: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (DatabaseMissing, DatabaseTooNew, NotADatabase) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"\ninterrupted. {unchanged}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        print(f"error: out of memory. {unchanged}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"error: {where}{exc.strerror or exc}. {unchanged}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: database error: {first}. {unchanged}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
