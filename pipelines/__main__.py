"""Command line: python -m pipelines {load,sample,report,today,digest,check,demo,users,audit} --help."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines import interrupts
from pipelines.cli_exit import (
    cli_lang,
    failed,
    interrupted,
    quiet_stdout,
    say,
)
from pipelines.i18n import LANGS, load_part_text, load_problems_text, status_label, t, yen
from pipelines.vocabulary import STAFF_LIST_REGISTRY

# Each command imports what it uses when it runs (pandas, DuckDB, the readers, the accounts …):
# `--help`, a mistyped option and `report --json` start without loading the rest of the program.
if TYPE_CHECKING:
    from pipelines.metrics import Metric

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def _override(text: str) -> tuple[str, object]:
    from pipelines.settings import SettingsError, parse_override

    try:
        return parse_override(text)
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _progress_bar() -> object:
    bars: dict[str, object] = {}

    def update(name: str, done: int, total: int) -> None:
        if total < 8 * 1024 * 1024:
            return  # no bar, and tqdm not even imported (~50 ms), for the usual small export
        bar = bars.get(name)
        if bar is None:
            from tqdm import tqdm

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


def load_files(*args: object, **kwargs: object) -> object:
    """pipelines.loader.load_files, imported when a load runs (tests replace this name)."""
    from pipelines.loader import load_files as load

    return load(*args, **kwargs)


def _record(db: Path, kind: str, detail: dict[str, object]) -> None:
    """Note a CLI export or load in the audit trail as the OS user (see pipelines.office.audit)."""
    from pipelines.office import audit

    audit.record(db, audit.cli_user(), kind, detail)


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
    _record(
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
        from pipelines.build import connect
        from pipelines.queries import quarantine

        with connect(args.db) as con:  # the newest quarantined rows are this load's: their reasons
            held_back = quarantine(con).head(3).to_dict("records")
        say(load_problems_text(result, lang, held_back))
    state = "cli.load.updated" if result.swapped else "cli.load.unchanged"
    say(t(state, lang, path=result.db_path, seconds=result.seconds))
    interrupts.checkpoint("printed")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from pipelines.build import connect

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
    from pipelines import api
    from pipelines.build import RULES_SQL, connect

    overrides = dict(args.set or [])
    con = connect(args.db, sql_files=RULES_SQL)  # the rules alone: no nfkc(), no numpy
    try:
        data = api.report(
            con, as_of=args.as_of, start=args.start, end=args.end, overrides=overrides
        )
    finally:
        con.close()
    if args.json:
        say(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    from pipelines.metrics import REPORT_METRICS
    from pipelines.settings import load_settings

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
    from pipelines import api
    from pipelines.build import connect
    from pipelines.digest import digest_html  # charts and vl-convert load only for this command
    from pipelines.export import write_atomic
    from pipelines.settings import load_settings

    args.lang = args.lang or load_settings().language  # the office's unless --lang says
    con = connect(args.db)  # first: a mistyped --db creates nothing, not even an office store
    try:
        page = digest_html(con, args.as_of, args.lang)
    finally:
        con.close()
    path = write_atomic(args.out, page.encode("utf-8"))
    _record(  # once the file exists: a failed write exported nothing
        args.db,
        "export",
        {"what": "digest", "as_of": str(args.as_of or api.today_in_japan()), "to": str(args.out)},
    )
    day = args.as_of or api.today_in_japan()
    say(t("cli.digest.written", args.lang, path=path, day=day, language=args.lang))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from pipelines.audits import run_audits
    from pipelines.build import connect

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
        default=None,  # main() puts in pipelines.store.default_db_path() once a command needs it
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


def _add_today(sub: argparse._SubParsersAction) -> None:
    """The `today` command's arguments (pipelines.today_cli)."""
    from pipelines import today_cli

    today_cli.register(sub, _with_db, _iso_date)


def _add_mail(sub: argparse._SubParsersAction) -> None:
    """The `mailbox`, `sync` and `notify` commands' arguments (pipelines.mail_cli)."""
    from pipelines.mail_cli import add_mail_commands

    add_mail_commands(sub)


def _add_people(sub: argparse._SubParsersAction) -> None:
    """The `users` and `audit` commands' arguments (pipelines.office.cli)."""
    from pipelines.office import cli as people

    people.register(sub, _with_db, _iso_date)


def _add_work(sub: argparse._SubParsersAction) -> None:
    """The `mark` and `draft` commands' arguments (pipelines.work_cli)."""
    from pipelines import work_cli

    work_cli.register(sub, _with_db, _iso_date)


# every command, in the order --help lists them, and the function that adds its arguments
COMMANDS: tuple[tuple[tuple[str, ...], Callable[[argparse._SubParsersAction], None]], ...] = (
    (("load",), _add_load),
    (("sample",), _add_sample),
    (("report",), _add_report),
    (("today",), _add_today),
    (("mailbox", "sync", "notify"), _add_mail),
    (("demo",), _add_demo),
    (("digest",), _add_digest),
    (("check",), _add_check),
    (("users", "audit"), _add_people),
    (("mark", "draft"), _add_work),
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI's argument parser (every command has --help). Given a known command, only its
    arguments are added: a run parses one command, and the others' modules need not load."""
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    known = any(command in names for names, _ in COMMANDS)
    for names, add in COMMANDS:
        if not known or command in names:
            add(sub)
    return parser


def _command_given(argv: Sequence[str] | None) -> str | None:
    """The command a command line names (its first word: the parser has no options before it)."""
    words = list(sys.argv[1:] if argv is None else argv)
    return words[0] if words and not words[0].startswith("-") else None


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line's arguments, with the default database filled in for the commands with --db."""
    args = build_parser(_command_given(argv)).parse_args(argv)
    if getattr(args, "db", False) is None:
        from pipelines.store import default_db_path

        args.db = default_db_path()
    return args


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
            args = _parse(argv)
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
