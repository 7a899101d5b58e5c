"""read_many on more than one core: a load's messages read by this process and worker processes at once.

The reader is pure Python (its time goes to ``re``), so threads would share one core. A load with many
messages to read splits them into parts by the text's hash — identical texts stay in one part, where
``read_many`` reads them once — and this process reads parts while worker processes (one fewer than
the cores, at most ``MAX_WORKERS``) read the others. Readings do not depend on how the messages are
split: the result is exactly ``read_many`` of all of them.

A worker is ``python -m pipelines.message_reader.parallel`` reading pickled parts on its stdin and
writing readings on its stdout (not multiprocessing: its "spawn" runs the caller's main script again
in every worker). It runs in its own session, so Ctrl-C reaches only the load, which stops it; it
exits by itself when the load's end of the pipe closes. When no worker can start, or one fails, this
process reads what is left itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from pipelines.message_reader.resolve import read_many
from pipelines.message_reader.words import MessageReading
from pipelines.reader_words import ReaderWords

MIN_PARALLEL = 40_000  # messages: below this, starting a worker costs more than it saves
MAX_WORKERS = 3
PARTS_PER_READER = 8  # parts per process reading: small enough to even out, large enough to dedupe
_HEADER = struct.Struct("<Q")
WORKER_COMMAND = [sys.executable, "-m", "pipelines.message_reader.parallel"]


def worker_count() -> int:
    """How many worker processes to start beside this one: the other cores, at most MAX_WORKERS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min(MAX_WORKERS, (cores or 1) - 1))


def _send(stream: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: BinaryIO) -> object:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("the other end closed the pipe")
    size = _HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the other end closed the pipe")
    return pickle.loads(data)


def _serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """The worker: read each part sent (texts, times, words) and send back its readings."""
    while True:
        try:
            texts, ats, words = _receive(stdin)
        except EOFError:
            return
        _send(stdout, read_many(texts, ats, words))


def _split(texts: Sequence[str | None], parts: int) -> list[list[int]]:
    """Row indexes in `parts` groups by the text's hash (an identical text is in one group)."""
    groups: list[list[int]] = [[] for _ in range(parts)]
    for i, text in enumerate(texts):
        groups[hash(text) % parts].append(i)
    return [g for g in groups if g]


class _Worker(threading.Thread):
    """A thread feeding one worker process parts from the front of `pending` until none is left."""

    def __init__(self, job: _Job) -> None:
        super().__init__(daemon=True)
        self.job = job
        root = str(Path(__file__).resolve().parents[2])  # the folder holding `pipelines`
        paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        self.process = subprocess.Popen(
            WORKER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )

    def run(self) -> None:
        job, group = self.job, None
        try:
            while (group := job.take(front=True)) is not None:
                texts, ats = job.part(group)
                _send(self.process.stdin, (texts, ats, job.words))  # type: ignore[arg-type]
                job.put(group, _receive(self.process.stdout))  # type: ignore[arg-type]
                group = None
        except (OSError, EOFError, pickle.PickleError, ValueError):
            if group is not None:
                job.give_back(group)  # this process reads it

    def stop(self) -> None:
        """Close the pipe (the worker exits) and make sure the process is gone."""
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class _Job:
    """The parts still to read and the readings found, shared by this process and the workers."""

    def __init__(
        self, texts: Sequence[str | None], ats: Sequence[datetime], words: ReaderWords, parts: int
    ) -> None:
        self.texts, self.ats, self.words = texts, ats, words
        self.pending = deque(_split(texts, parts))
        self.out: list[MessageReading | None] = [None] * len(texts)
        self.lock = threading.Lock()
        self.left = len(self.pending)
        self.finished = threading.Condition(self.lock)

    def take(self, front: bool) -> list[int] | None:
        with self.lock:
            if not self.pending:
                return None
            return self.pending.popleft() if front else self.pending.pop()

    def give_back(self, group: list[int]) -> None:
        with self.lock:
            self.pending.append(group)
            self.finished.notify_all()

    def part(self, group: list[int]) -> tuple[list[str | None], list[datetime]]:
        return [self.texts[i] for i in group], [self.ats[i] for i in group]

    def put(self, group: list[int], readings: object) -> None:
        for i, reading in zip(group, readings, strict=True):  # type: ignore[call-overload]
            self.out[i] = reading
        with self.lock:
            self.left -= 1
            self.finished.notify_all()


def read_many_parallel(
    texts: Sequence[str | None],
    received_ats: Sequence[datetime],
    words: ReaderWords,
    workers: int | None = None,
) -> list[MessageReading]:
    """The same list as read_many(texts, received_ats, words), read by this process and `workers`
    worker processes (default worker_count(); 0, or fewer than MIN_PARALLEL texts: this one only)."""
    workers = worker_count() if workers is None else workers
    if workers == 0 or len(texts) < MIN_PARALLEL:
        return read_many(texts, received_ats, words)
    if len(texts) != len(received_ats):
        raise ValueError(f"read_many: {len(texts)} texts but {len(received_ats)} received times")
    job = _Job(texts, received_ats, words, PARTS_PER_READER * (workers + 1))
    started: list[_Worker] = []
    try:
        for _ in range(workers):
            try:
                started.append(_Worker(job))
            except OSError:
                break  # no worker: this process reads every part
        for worker in started:
            worker.start()
        while True:
            group = job.take(front=False)  # this process from the back, workers from the front
            if group is not None:
                job.put(group, read_many(*job.part(group), words))
                continue
            with job.lock:
                if job.left == 0:
                    break
                if not job.pending and all(not w.is_alive() for w in started):
                    raise RuntimeError("message reader workers stopped with parts unread")
                job.finished.wait(timeout=1.0)
    finally:
        for worker in started:
            worker.stop()
        for worker in started:
            worker.join(timeout=5)
    return job.out  # type: ignore[return-value]


if __name__ == "__main__":
    # the readings go out on the original stdout; anything else printed goes to stderr
    _protocol = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _serve(sys.stdin.buffer, _protocol)
