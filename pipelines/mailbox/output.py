"""Writing the three outputs as one set: all to temporary names, then all renamed.

A run writes ``.<name>.new`` for each file and makes it durable (fsync) before any file is replaced,
so a failure or a kill while writing (disk full, ``ulimit -f``, SIGKILL) leaves the earlier set
untouched; the temporary files are removed then, or by the next run. The renames follow a small
journal (``.mailbox-swap``, the names to rename); a run killed between two renames leaves the journal,
and the next run in that folder — before it reads any mailbox, even one that then fails — completes
those renames, so the folder again holds one run's set. Ctrl-C and SIGTERM during the renames let
them finish (the run ends normally and says so).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipelines.export import csv_bytes
from pipelines.mailbox.settings import MailboxError

JOURNAL = ".mailbox-swap"


def _temp(out_dir: Path, name: str) -> Path:
    return out_dir / f".{name}.new"


def _sync_dir(folder: Path) -> None:
    """Make renames in folder durable (best effort where a folder cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[list[int]]:
    """Note SIGINT and SIGTERM instead of acting on them inside the block (main thread only).

    Yields the list of signals received meanwhile. SIGKILL cannot be deferred: the journal covers it.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    deferred = [s for s, handler in old.items() if handler is not None]
    for signum in deferred:
        signal.signal(signum, lambda number, _frame: received.append(number))
    try:
        yield received
    finally:
        for signum in deferred:
            signal.signal(signum, old[signum])


def recover(out_dir: Path, names: Sequence[str]) -> None:
    """Finish the renames of a run killed between them; remove temporary files of a run killed earlier."""
    journal = out_dir / JOURNAL
    try:
        listed = journal.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        listed = []
    except OSError as exc:
        raise MailboxError(f"{journal}: cannot be read: {exc.strerror or exc}") from None
    try:
        with _signals_deferred() as received:
            for name in (n for n in listed if n in names):
                if _temp(out_dir, name).exists():
                    os.replace(_temp(out_dir, name), out_dir / name)
            if listed:
                _sync_dir(out_dir)
                journal.unlink()
            for name in names:  # a run killed before its renames: its files are incomplete
                _temp(out_dir, name).unlink(missing_ok=True)
    except OSError as exc:
        raise MailboxError(
            f"{out_dir}: cannot finish the outputs of an interrupted run: {exc.strerror or exc}"
        ) from None
    if received:
        raise KeyboardInterrupt


def write_set(out_dir: Path, files: Sequence[tuple[str, Sequence[str], list[list[str]]]]) -> bool:
    """Write (name, header, rows) CSV files into out_dir as one set; MailboxError if any cannot be.

    True when Ctrl-C or SIGTERM came during the renames: the set was completed rather than torn.
    """
    names = [name for name, _, _ in files]
    recover(out_dir, names)
    for name in names:
        if (out_dir / name).is_dir():
            raise MailboxError(f"{out_dir / name}: is a folder, so the output cannot replace it")
    name = ""
    try:
        for name, header, rows in files:
            with _temp(out_dir, name).open("wb") as fh:
                fh.write(csv_bytes(header, rows))
                fh.flush()
                os.fsync(fh.fileno())
        name = JOURNAL
        with (out_dir / JOURNAL).open("w", encoding="utf-8") as fh:
            fh.write("\n".join(names))
            fh.flush()
            os.fsync(fh.fileno())
        _sync_dir(out_dir)
    except BaseException as exc:
        for temp in [_temp(out_dir, n) for n in names] + [out_dir / JOURNAL]:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            where = out_dir if name == JOURNAL else out_dir / name
            raise MailboxError(
                f"{where}: cannot be written ({_why(exc)}); "
                f"the files already in {out_dir} are unchanged"
            ) from None
        raise
    with _signals_deferred() as received:
        try:
            for name in names:
                os.replace(_temp(out_dir, name), out_dir / name)
            _sync_dir(out_dir)
            (out_dir / JOURNAL).unlink()
        except OSError as exc:
            raise MailboxError(
                f"{out_dir / name}: cannot be replaced ({_why(exc)}); the next run in {out_dir} "
                "finishes replacing the three files"
            ) from None
    return bool(received)


def _why(exc: OSError) -> str:
    """An OSError's reason, with what to do about the usual ones."""
    if exc.errno == errno.EFBIG:
        return f"{exc.strerror}: larger than the file-size limit of this session, ulimit -f"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{exc.strerror}: free some space and run it again"
    return str(exc.strerror or exc)
