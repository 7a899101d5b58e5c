"""Inputs that are not regular files: pipes are copied to a private file once, the rest refused.

``load <(zcat log.csv.gz)`` and ``mailbox <(cat inbox.mbox)`` name a pipe (``/dev/fd/63``); a named
FIFO (``mkfifo``) is one too. A pipe can be read only once and has no size, so ``spooled`` copies it
into a private temporary directory (removed in every outcome, or by the next reader when the process
was killed), applying the size limit while it copies; the readers then see a regular file of the same
name. Opening a pipe never blocks: a FIFO that no program writes to within ``PIPE_WAIT_SECONDS`` is
refused by name (a program that is attached but slow is waited for). Devices and sockets are refused.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipelines.readers.codes import CHUNK_BYTES, FileRefused, _size_text
from pipelines.readers.scratch import _Scratch

PIPE_WAIT_SECONDS = 5.0  # how long a FIFO may have no program writing to it


def path_kind(path: Path) -> str:
    """'file', 'folder', 'pipe', 'device', 'socket' or 'missing' (symbolic links followed)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "missing"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def _open_pipe(path: Path, wait_seconds: float) -> tuple[int, bytes]:
    """A blocking descriptor on a pipe that a program writes to, and the bytes already read from it.

    FileRefused when no program opens the pipe for writing within wait_seconds.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # never blocks, writer or not
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP)
        first = b""
        if not poller.poll(int(wait_seconds * 1000)):
            # Nothing readable and no hang-up: a program is attached but silent (EAGAIN: wait for
            # it), or none ever opened the FIFO (b"").
            try:
                first = os.read(fd, CHUNK_BYTES)
            except BlockingIOError:
                pass
            else:
                if not first:
                    raise FileRefused(path.name, code="PIPE_NO_WRITER", seconds=f"{wait_seconds:g}")
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        return fd, first
    except BaseException:
        os.close(fd)
        raise


def spool_pipe(path: Path, dest: Path, limit: int, wait_seconds: float | None = None) -> int:
    """Copy what a pipe gives into dest (at most limit bytes, else FileRefused); returns bytes copied.

    wait_seconds (default PIPE_WAIT_SECONDS) bounds the wait for a program to open a FIFO.
    """
    wait = PIPE_WAIT_SECONDS if wait_seconds is None else wait_seconds
    try:
        fd, chunk = _open_pipe(path, wait)
    except OSError as exc:
        raise FileRefused(path.name, code="FILE_UNREADABLE", error=exc.strerror or exc) from None
    size = 0
    with open(fd, "rb", closefd=True) as source:
        try:
            out = dest.open("wb")
        except OSError as exc:
            raise FileRefused(path.name, code="PIPE_NO_SPACE", error=exc.strerror or exc) from None
        with out:
            while True:
                size += len(chunk)
                if size > limit:
                    raise FileRefused(path.name, code="LIMIT_PIPE_BYTES", limit=_size_text(limit))
                try:
                    out.write(chunk)
                except OSError as exc:  # disk full, quota, ulimit -f
                    raise FileRefused(
                        path.name, code="PIPE_NO_SPACE", error=exc.strerror or exc
                    ) from None
                try:
                    chunk = source.read(CHUNK_BYTES)
                except OSError as exc:
                    raise FileRefused(
                        path.name, code="FILE_UNREADABLE", error=exc.strerror or exc
                    ) from None
                if not chunk:
                    break
    return size


def refuse_other(path: Path) -> None:
    """FileRefused for a path that is a device or a socket (neither a file, a folder nor a pipe)."""
    kind = path_kind(path)
    if kind in ("device", "socket"):
        raise FileRefused(path.name, code="NOT_A_FILE")


@contextlib.contextmanager
def spooled(paths: Sequence[Path], limit: int) -> Iterator[list[Path]]:
    """The paths with every pipe replaced by a private copy of what it gave; copies removed after."""
    scratch = _Scratch()
    try:
        out: list[Path] = []
        for number, path in enumerate(paths):
            refuse_other(path)
            if path_kind(path) != "pipe":
                out.append(path)
                continue
            folder = scratch.file(f"-pipe{number}")
            folder.mkdir()
            copy = folder / path.name
            spool_pipe(path, copy, limit)
            out.append(copy)
        yield out
    finally:
        scratch.close()
