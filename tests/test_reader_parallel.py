"""The message reader on several cores reads exactly what read_many reads, whoever reads each part.

A load with many messages to read splits them by text between this process and worker processes
(pipelines.message_reader.parallel); these tests make the split happen on the labelled corpus.
"""

from __future__ import annotations

import sys
import threading
from datetime import datetime

import pytest

from pipelines.message_reader import parallel, read_many
from pipelines.reader_words import DEFAULT_WORDS, ReaderWords
from tests.urgency_corpus import load_corpus


def _corpus() -> tuple[list[str | None], list[datetime]]:
    """The corpus messages three times over (repeated texts, other days), with blanks among them."""
    rows = load_corpus()
    texts: list[str | None] = []
    ats: list[datetime] = []
    for day in (0, 1, 3):
        for row in rows:
            at = datetime.fromisoformat(row["received_at"])
            texts.append(row["message"])
            ats.append(at.replace(day=min(at.day + day, 28)))
        texts += [None, ""]
        ats += [datetime(2026, 11, 24, 9), datetime(2026, 11, 24, 9)]
    return texts, ats


@pytest.fixture
def small_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 10)


@pytest.mark.slow
@pytest.mark.usefixtures("small_parallel")
def test_readings_are_those_of_read_many_with_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    texts, ats = _corpus()
    words = ReaderWords(extra_urgent_phrases=("大至急で",))
    expected = read_many(texts, ats, words)
    readers = []
    put = parallel._Job.put

    def counted(job: parallel._Job, group: list[int], readings: object) -> None:
        readers.append(type(threading.current_thread()).__name__)
        put(job, group, readings)

    monkeypatch.setattr(parallel._Job, "put", counted)
    assert parallel.read_many_parallel(texts, ats, words, workers=1) == expected
    assert "_Worker" in readers  # a worker process read a part
    assert sum(r.asap for r in expected) > 50  # the corpus has urgent messages to agree on


@pytest.mark.usefixtures("small_parallel")
def test_a_worker_that_cannot_read_leaves_its_parts_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker that exits at once (or cannot start) costs nothing but time: the same readings."""
    texts, ats = _corpus()
    expected = read_many(texts, ats, DEFAULT_WORDS)
    monkeypatch.setattr(parallel, "WORKER_COMMAND", [sys.executable, "-c", "pass"])
    assert parallel.read_many_parallel(texts, ats, DEFAULT_WORDS, workers=2) == expected
    monkeypatch.setattr(parallel, "WORKER_COMMAND", ["/nonexistent/python"])
    assert parallel.read_many_parallel(texts, ats, DEFAULT_WORDS, workers=1) == expected


def test_few_messages_are_read_here() -> None:
    """Below MIN_PARALLEL no worker is started (a small load pays nothing for the option)."""
    texts, ats = _corpus()
    assert len(texts) < parallel.MIN_PARALLEL
    assert parallel.read_many_parallel(texts, ats, DEFAULT_WORDS, workers=3) == read_many(
        texts, ats, DEFAULT_WORDS
    )
