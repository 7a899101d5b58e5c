"""`python -m pipelines sync [--every 5m] [--dry-run]`: one sync, or one every interval until stopped."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from pipelines.i18n import t
from pipelines.settings import Settings, load_settings

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def one_sync(
    db: Path, settings: Settings, lang: str, dry_run: bool, every: str | None = None
) -> int:
    """Run one sync, print its outcome, keep it beside the database; the exit code (0, 1 or 2).

    every: the --every interval, kept with the outcome so the Data page can say when the next runs.
    """
    from pipelines.sync import (  # IMAP, HTML parsing and Arrow load only for this command
        SyncFailed,
        SyncRefused,
        next_at,
        parse_every,
        record_status,
        sync_once,
    )

    interval = parse_every(every) if every else None
    loop = (
        {"every": every, "next_at": next_at(interval).isoformat(timespec="seconds")}
        if interval
        else {}
    )
    try:
        result = sync_once(db, settings, lang, dry_run=dry_run)
    except SyncRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        if not dry_run:
            record_status(db, "refused", str(exc), **loop)
        return EXIT_BAD_INPUT
    except SyncFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        if not dry_run:
            record_status(db, "failed", str(exc), **loop)
        return EXIT_FAILED
    text = result.text(lang)
    print(text)
    if not dry_run:
        record_status(
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
        print(f"error: {t('sync.bad_every', lang, value=every)}", file=sys.stderr)
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


def add_sync(
    sub: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    """The `sync` command's arguments (with_db adds --db)."""
    p = with_db(
        sub.add_parser(
            "sync",
            help="read new mail from the office's IMAP folders ([imap] settings, password in "
            "$OPSDASH_IMAP_PASSWORD) into the database, all or nothing",
        )
    )
    p.add_argument("--every", metavar="INTERVAL", help="keep running: sync every 5m, 30m, 1h …")
    p.add_argument("--dry-run", action="store_true", help="say what would be added; change nothing")
    p.set_defaults(func=cmd_sync)
