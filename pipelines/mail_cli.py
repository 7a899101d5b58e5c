"""The mail commands: `mailbox` (an export into logs), `sync` (the live mailbox) and `notify`.

`sync [--every 5m] [--dry-run]`: one sync, or one every interval until Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path

from pipelines.i18n import t
from pipelines.settings import Settings, load_settings
from pipelines.untrusted import for_terminal

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _keep(db: Path, outcome: str, detail: str, **extra: object) -> None:
    """The outcome beside the database (for the Data page) and in the audit trail."""
    from pipelines.office.audit import cli_user, record
    from pipelines.sync import record_status

    record_status(db, outcome, detail, **extra)
    counts = {k: v for k, v in extra.items() if k in ("new_messages", "new_inquiries", "review")}
    record(db, cli_user(), "sync", {"outcome": outcome, **counts})


def one_sync(
    db: Path, settings: Settings, lang: str, dry_run: bool, every: str | None = None
) -> int:
    """Run one sync, print its outcome, keep it (beside the database, in the audit trail); 0, 1 or 2.

    every: the --every interval, kept with the outcome so the Data page can say when the next runs.
    """
    from pipelines.sync import (  # IMAP, HTML parsing and Arrow load only for this command
        SyncFailed,
        SyncRefused,
        next_at,
        parse_every,
        sync_once,
    )

    interval = parse_every(every) if every else None
    loop = {"every": every, "next_at": f"{next_at(interval):%Y-%m-%dT%H:%M:%S}"} if interval else {}
    try:
        result = sync_once(db, settings, lang, dry_run=dry_run)
    except (SyncRefused, SyncFailed) as exc:
        print(for_terminal(t("cli.error", lang, text=exc)), file=sys.stderr)
        outcome, code = (
            ("refused", EXIT_BAD_INPUT)
            if isinstance(exc, SyncRefused)
            else (
                "failed",
                EXIT_FAILED,
            )
        )
        if not dry_run:
            _keep(db, outcome, str(exc), **loop)
        return code
    text = result.text(lang)
    print(for_terminal(text))
    if not dry_run:
        _keep(
            db,
            "ok",
            text,
            new_messages=result.new_messages,
            new_inquiries=result.new_inquiries,
            review=result.review,
            **loop,
        )
    return EXIT_OK


def run(db: Path, settings: Settings, every: str | None, dry_run: bool) -> int:
    """The sync command: once, or every interval until Ctrl-C / SIGTERM (the running sync finishes)."""
    from pipelines.sync import next_at, parse_every

    lang = settings.language
    if every is None:
        return one_sync(db, settings, lang, dry_run)
    interval = parse_every(every)
    if interval is None:
        print(t("cli.error", lang, text=t("sync.bad_every", lang, value=every)), file=sys.stderr)
        return EXIT_BAD_INPUT
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            code = one_sync(db, settings, lang, dry_run, every)
            if code == EXIT_BAD_INPUT and not stop.is_set():
                return code  # set-up problems do not mend themselves: say so once and stop
            if stop.is_set():
                break
            print(t("sync.next", lang, at=f"{next_at(interval):%Y-%m-%d %H:%M:%S}"), flush=True)
            if stop.wait(interval.total_seconds()):
                break
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(t("sync.stopped", lang), flush=True)
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    """`python -m pipelines sync`."""
    return run(args.db, load_settings(), args.every, args.dry_run)


def no_office_addresses(settings_file: Path | None, lang: str | None = None) -> str | None:
    """The mailbox command's refusal (in lang, else the office's language) when no office address
    is set."""
    from pipelines.mailbox import load_mailbox_settings

    if load_mailbox_settings(settings_file).office_addresses:
        return None  # without importing sync (DuckDB, Arrow: ~0.3 CPU-s of a mailbox run)
    from pipelines.sync import settings_source

    where = str(settings_file) if settings_file else settings_source()
    lang = lang or load_settings(settings_file).language
    return t("sync.refused.no_office_addresses", lang, file=where)


def _finish_interrupted(out: Path) -> None:
    """A refused run still completes the output set of a run killed while renaming (as any run does)."""
    from pipelines.mailbox.output import recover
    from pipelines.mailbox.settings import INQUIRIES_FILE, QUOTES_FILE, REVIEW_FILE

    if out.is_dir():
        recover(out, (REVIEW_FILE, QUOTES_FILE, INQUIRIES_FILE))


def cmd_mailbox(args: argparse.Namespace) -> int:
    """`python -m pipelines mailbox PATH... --out DIR`; refused (exit 2) without office addresses."""
    from pipelines.mailbox import MailboxError, run_cli  # HTML parsing loads only for this command

    settings_file = args.settings
    if settings_file is None and os.environ.get("OPSDASH_SETTINGS"):
        settings_file = Path(os.environ["OPSDASH_SETTINGS"])
    # --lang, else the language of the settings file the command reads (its interrupts say so too)
    args.lang = args.lang or load_settings(settings_file).language
    try:
        if refused := no_office_addresses(settings_file, args.lang):
            _finish_interrupted(args.out)
            print(for_terminal(t("cli.error", args.lang, text=refused)), file=sys.stderr)
            return EXIT_BAD_INPUT
        return run_cli(args.paths, args.out, settings_file, args.lang)
    except MailboxError as exc:
        print(for_terminal(t("cli.error", args.lang, text=exc)), file=sys.stderr)
        return EXIT_BAD_INPUT


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
    p.add_argument(
        "--lang", choices=("en", "ja"), help="language of the messages (default: the office's)"
    )
    p.set_defaults(func=cmd_mailbox)


def _with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--db",
        type=Path,
        default=None,  # pipelines.__main__ puts in the default database once the command is known
        help="database file (default: $OPSDASH_DB or data/ops.duckdb)",
    )
    return p


def add_mail_commands(sub: argparse._SubParsersAction) -> None:
    """The `mailbox`, `sync` and `notify` commands' arguments."""
    _add_mailbox(sub)
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
    _add_notify(sub)


def cmd_notify(args: argparse.Namespace) -> int:
    """notify: pipelines.notify_cli.cmd_notify, imported only when the command runs (SMTP, the lists)."""
    from pipelines.notify_cli import cmd_notify as run_notify

    return run_notify(args)


def _add_notify(sub: argparse._SubParsersAction) -> None:
    """The `notify` command's arguments."""
    p = _with_db(
        sub.add_parser(
            "notify",
            help="the morning mail: each account with an e-mail gets its day (once a day), the "
            "owner the alerts; [smtp] settings, password in $OPSDASH_SMTP_PASSWORD",
        )
    )
    p.add_argument("--as-of", type=date.fromisoformat, help="the day (default: today in Japan)")
    p.add_argument("--dry-run", action="store_true", help="write .eml files instead of sending")
    p.add_argument("--out", type=Path, help="folder for the .eml files of --dry-run")
    p.set_defaults(func=cmd_notify)
