"""A reader's private temporary directory (standard library only: the mailbox command and pipes
use it without DuckDB or Arrow)."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
from pathlib import Path


class _Scratch:
    """A private temporary directory (mode 0700) for decoded copies, made on first use.

    ``close()`` removes it; the loader calls it in ``finally`` whatever the outcome. A directory left
    by a process that was killed outright is removed by the next reader in any process.
    """

    PREFIX = "opsdash-read-"

    def __init__(self) -> None:
        self.path: Path | None = None
        self._count = itertools.count(1)

    def file(self, suffix: str) -> Path:
        if self.path is None:
            _remove_stale_scratch()
            self.path = Path(tempfile.mkdtemp(prefix=f"{self.PREFIX}{os.getpid()}-"))
        return self.path / f"{next(self._count)}{suffix}"

    def close(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


def _remove_stale_scratch() -> None:
    """Remove scratch directories of processes that no longer exist (killed before their finally)."""
    with contextlib.suppress(OSError):
        for entry in Path(tempfile.gettempdir()).glob(f"{_Scratch.PREFIX}*"):
            try:
                pid = int(entry.name[len(_Scratch.PREFIX) :].split("-", 1)[0])
                if entry.stat().st_uid != os.getuid() or pid == os.getpid():
                    continue
                os.kill(pid, 0)
            except ProcessLookupError:
                shutil.rmtree(entry, ignore_errors=True)
            except (ValueError, OSError):
                continue
