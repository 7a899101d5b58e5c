"""Ctrl-C (SIGINT) and SIGTERM on the command line: stop cleanly before the swap, finish after it.

``pipelines/__init__`` exits at once on either signal while ``python -m pipelines`` is still importing
(nothing is open yet; only Python's own start-up, before any of this code runs, is not covered).
``install()`` (the CLI calls it first thing) makes both signals raise ``Interrupted`` in the main
thread and remembers which arrived, because DuckDB turns an exception raised by a signal handler
during a query into a bare ``RuntimeError: Query interrupted``: the CLI asks ``received()`` rather than
trusting the exception's type. A write swaps its new file in inside ``swapping()``: a signal that arrives
there is only recorded (the swap is a rename, it finishes at once), and ``swap_completed()`` tells the CLI
to say the database was updated instead of unchanged. A load calls ``hold_after_swap()`` first: once its
swap is done, signals stay deferred for the rest of the command (cleaning up, the audit row, printing
the summary), so a late Ctrl-C can no longer end the process by the signal with nothing said; the CLI
then says the signal came too late and exits 0. ``checkpoint(stage)`` raises a pending interrupt
and is the test hook: ``OPSDASH_TEST_SIGNAL_AT=stage[:SIGTERM]`` sends the signal to the process there.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_FRESH = {"received": None, "deferring": False, "swapped": False, "hold": False, "in_swap": False}
_state: dict[str, object] = dict(_FRESH)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; signum says which (exit code 128 + signum)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _handler(signum: int, frame: object) -> None:
    if _state["received"] is None:
        _state["received"] = signum
    if not _state["deferring"]:
        raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM raise Interrupted in the main thread (the CLI's handlers)."""
    _state.update(_FRESH)
    for sig in SIGNALS:
        signal.signal(sig, _handler)
    if hasattr(signal, "SIGXFSZ"):  # a file-size limit is an error on write, not a silent death
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def received() -> int | None:
    """The first signal number received since install(), or None."""
    return _state["received"]  # type: ignore[return-value]


def hold_after_swap() -> None:
    """From the end of the next swap on, defer signals until the command is done (a load: the
    database is already updated, only cleaning up and printing are left)."""
    _state["hold"] = True


def came_during_swap() -> bool:
    """Whether the signal received arrived while the swap was under way (not after it)."""
    return bool(_state["in_swap"])


def swap_completed() -> bool:
    """Whether a database swap finished in this process (a later interrupt leaves it updated)."""
    return bool(_state["swapped"])


def checkpoint(stage: str) -> None:
    """Raise a pending interrupt here (test hook: OPSDASH_TEST_SIGNAL_AT=stage[:SIGNAME])."""
    wanted = os.environ.get("OPSDASH_TEST_SIGNAL_AT", "")
    if wanted and wanted.split(":")[0] == stage:
        name = wanted.split(":")[1] if ":" in wanted else "SIGINT"
        os.kill(os.getpid(), getattr(signal, name))
    pending = _state["received"]
    if pending is not None and not _state["deferring"]:
        raise Interrupted(pending)  # type: ignore[arg-type]


@contextmanager
def swapping() -> Iterator[None]:
    """Hold signals while a new database file is renamed into place; a pending one raises first."""
    checkpoint("swap")
    _state["deferring"] = True
    try:
        pending = _state["received"]
        if pending is not None:
            raise Interrupted(pending)  # type: ignore[arg-type]
        yield
        _state["swapped"] = True
        _state["in_swap"] = _state["received"] is not None
    finally:
        _state["deferring"] = bool(_state["swapped"] and _state["hold"])


def finishing() -> None:
    """The command is done: from now on a signal is only recorded (no traceback at exit)."""
    _state["deferring"] = True


def restore(handlers: dict[int, object]) -> None:
    """Put back the signal handlers an in-process caller had, forgetting this run's signal (a later
    load in the same process must not raise it)."""
    _state.update(_FRESH)
    for sig, handler in handlers.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]
