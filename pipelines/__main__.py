"""Command line: python -m pipelines {load,report,today,demo,sample,check} --help."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pipelines import api
from pipelines.db import connect, default_db_path
from pipelines.i18n import missing_text, reasons_text, status_label, when_text
from pipelines.loader import LoadBusy, load_files
from pipelines.readers import FileRefused
from pipelines.settings import SettingsError

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
EXIT_BAD_INPUT = 2
EXIT_BUSY = 75


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


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
    result = load_files(args.files, args.db, progress=_progress_bar(), wait_seconds=args.wait)
    for part in result.parts:
        print(part.summary())
    state = "database updated" if result.swapped else "database unchanged"
    print(f"{state}: {result.db_path} ({result.seconds:.1f} s)")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
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


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def cmd_report(args: argparse.Namespace) -> int:
    con = connect(args.db)
    try:
        data = api.report(con, as_of=args.as_of, start=args.start, end=args.end)
    finally:
        con.close()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    per = data["staff_minutes_per_nonconverting_inquiry"]
    rows = [
        ("As of", data["as_of"]),
        ("Inquiries", f"{data['inquiries']:,}"),
        ("Quoted", f"{data['quoted']:,}"),
        ("Converted", f"{data['converted']:,}"),
        ("Conversion rate", _pct(data["conversion_rate"])),
        (
            "Silent after quote",
            f"{data['silent']:,} of {data['judged_quotes']:,} judged quotes ({_pct(data['silent_after_quote_rate'])})",
        ),
        ("Urgent requests", f"{data['urgent_requests']:,}"),
        ("Non-converting inquiries", f"{data['nonconverting_inquiries']:,}"),
        ("Staff minutes on them", f"{data['staff_minutes_nonconverting']:,}"),
        ("Minutes per non-converting", "—" if per is None else f"{per:.1f} min"),
        ("Quote SLA rate", _pct(data["quote_sla_rate"])),
        (
            "Today: eligible / attention / sign-by",
            f"{data['eligible_today']} / {data['attention_today']} / {data['sign_by_today']}",
        ),
        ("Quarantined rows", f"{data['quarantined_rows']:,}"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print("\nStatus")
    for status, n in data["status_counts"].items():
        print(f"  {status_label(status):<{width}}{n:>8,}")
    return 0


def text_or(value: object, blank: str) -> str:
    """A text cell, or `blank` when it is missing (None or NaN)."""
    return blank if value is None or value != value or not str(value).strip() else str(value)


def cmd_today(args: argparse.Namespace) -> int:
    con = connect(args.db)
    try:
        day = args.as_of or api.today_in_japan()
        lists = api.staff_lists(con, day)
    finally:
        con.close()
    titles = {
        "eligible": "Eligible today — calls to make",
        "attention": "Needs attention today — contracted against the rules",
        "sign_by": "Sign by today — last day to sign a contract",
    }
    print(f"Staff lists for {day}")
    for name, title in titles.items():
        frame = lists[name]
        print(f"\n{title} ({len(frame)})")
        for row in frame.itertuples():
            cells = [
                row.inquiry_id,
                text_or(row.customer_name, "(no name)"),
                text_or(row.target_phone, "(no number)"),
                when_text(row.requested_for) or "—",
                text_or(row.service, ""),
            ]
            line = "  " + "  ".join(cells)
            if name == "attention":
                line += f"  — {reasons_text(list(row.reason_codes))}"
            if name == "sign_by" and len(row.missing_fields):
                line += f"  — missing: {missing_text(list(row.missing_fields))}"
            print(line)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pipelines.demo import generate, write_exports

    data = generate(args.inquiries, seed=args.seed, as_of=args.as_of)
    paths = write_exports(data, args.out, style=args.style)
    print(
        f"{len(data.inquiries):,} inquiries and {len(data.events):,} events written to {args.out}:"
    )
    for path in paths:
        print(f"  {path}")
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


def build_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser (every command has --help)."""
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--db",
            type=Path,
            default=default_db_path(),
            help="database file (default: $OPSDASH_DB or data/ops.duckdb)",
        )
        return p

    p = with_db(
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
    p.set_defaults(func=cmd_load)

    p = with_db(
        sub.add_parser("sample", help="load the bundled sample data when the database is empty")
    )
    p.add_argument(
        "--wait", type=float, default=120.0, help="seconds to wait for another running load"
    )
    p.set_defaults(func=cmd_sample)

    p = with_db(sub.add_parser("report", help="headline metrics for a period, as of a date"))
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
    p.set_defaults(func=cmd_report)

    p = with_db(sub.add_parser("today", help="the staff's three lists for a day"))
    p.add_argument(
        "--as-of", type=_iso_date, default=None, help="the day (default: today in Japan)"
    )
    p.set_defaults(func=cmd_today)

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
    p.set_defaults(func=cmd_demo)

    p = with_db(sub.add_parser("check", help="run the data-contract audits; exit 1 when any fails"))
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (2 for unreadable input, 75 when another load is running)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FileRefused as exc:
        print(f"error: {exc}\nNothing was loaded; the database is unchanged.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LoadBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except SettingsError as exc:
        print(f"error: bad settings: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
