"""How the CLI ends: one message (no traceback) and an exit code for every failure and signal,
every printed line escaped for the terminal (pipelines.untrusted)."""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from pipelines import interrupts, work_cli
from pipelines.export import OutputFailed
from pipelines.office import cli as people
from pipelines.office.accounts import AccountError
from pipelines.office.marks import MarkError
from pipelines.office.store import OfficeStoreError
from pipelines.readers import FileRefused
from pipelines.settings import SettingsError
from pipelines.store import (
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseTooNew,
    LoadBusy,
    NotADatabase,
)
from pipelines.untrusted import for_terminal

EXIT_BAD_INPUT = 2
EXIT_BUSY = 75
EXIT_INTERRUPTED = 130  # 128 + SIGINT; SIGTERM gives 143
UNCHANGED = "Nothing was changed; the database is unchanged."


def say(*parts: object, sep: str = " ", err: bool = False) -> None:
    """Print to stdout (or stderr) with every control character escaped (pipelines.untrusted)."""
    print(for_terminal(sep.join(str(p) for p in parts)), file=sys.stderr if err else sys.stdout)


def interrupted(signum: int, args: argparse.Namespace) -> int:
    """The message and exit code for Ctrl-C or SIGTERM, saying whether the database changed."""
    if not interrupts.swap_completed():
        say("\ninterrupted, database unchanged.", err=True)
        return 128 + signum
    if args.command in ("load", "sample"):  # only printing was left: the load is complete
        say(
            f"\ninterrupted after the swap: the load finished, database updated: {args.db}",
            err=True,
        )
        return 0
    say("\ninterrupted (the database had already been upgraded, completely)", err=True)
    return 128 + signum


def failed(exc: BaseException, args: argparse.Namespace) -> int:
    """Say what went wrong in one message (no traceback) and return the exit code; re-raise the
    unexpected."""
    if isinstance(exc, FileRefused):
        say(f"error: {exc}\n{UNCHANGED}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, LoadBusy):
        say(f"error: {exc}", err=True)
        return EXIT_BUSY
    if isinstance(exc, SettingsError):
        say(f"error: bad settings: {exc}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, DatabaseMissing | DatabaseTooNew | NotADatabase | DatabaseReadOnly):
        say(f"error: {exc}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, OutputFailed):
        say(f"error: {exc}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, MarkError):
        say(f"error: {work_cli.error_text(exc, getattr(args, 'lang', 'en'))}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, AccountError | OfficeStoreError):
        say(f"error: {people.error_text(exc, people.office_lang(args))}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, MemoryError):
        say(f"error: out of memory. {UNCHANGED}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        say(f"error: {where}{exc.strerror or exc}. {UNCHANGED}", err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, duckdb.Error):
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        say(f"error: database error: {first}. {UNCHANGED}", err=True)
        return EXIT_BAD_INPUT
    raise exc


def quiet_stdout() -> None:
    """The reader of stdout went away (e.g. `| head`): send the rest of the output nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
