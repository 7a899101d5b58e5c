"""The labelled corpus (tests/corpus/urgency.tsv): scores for the message reader's test and the benchmark."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from pipelines.message_reader import ReaderWords, is_urgent, read_many

CORPUS_PATH = Path(__file__).resolve().parent / "corpus" / "urgency.tsv"


def load_corpus(path: str | Path = CORPUS_PATH) -> list[dict[str, str]]:
    """The labelled messages: received_at, message, urgent (1/0), message_date (ISO or empty), note."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def corpus_scores(
    path: str | Path = CORPUS_PATH, words: ReaderWords | None = None, min_lead_days: int = 3
) -> dict[str, object]:
    """Accuracy, precision and recall of `urgent` on the labelled corpus, plus message_date agreement."""
    rows = load_corpus(path)
    words = words or ReaderWords()
    ats = [datetime.fromisoformat(r["received_at"]) for r in rows]
    readings = read_many([r["message"] for r in rows], ats, words)
    tp = fp = fn = tn = dates_right = 0
    wrong: list[dict[str, object]] = []
    for row, at, reading in zip(rows, ats, readings, strict=True):
        want = row["urgent"] == "1"
        got = is_urgent(reading, at.date(), min_lead_days)
        want_date = row["message_date"] or None
        got_date = reading.message_date.isoformat() if reading.message_date else None
        dates_right += want_date == got_date
        tp += want and got
        fp += got and not want
        fn += want and not got
        tn += not want and not got
        if want != got or want_date != got_date:
            wrong.append(
                {
                    "received_at": row["received_at"],
                    "message": row["message"],
                    "urgent": (want, got),
                    "message_date": (want_date, got_date),
                    "evidence": reading.urgent_evidence,
                    "note": row["note"],
                }
            )
    n = len(rows)
    return {
        "messages": n,
        "urgent": tp + fn,
        "accuracy": (tp + tn) / n if n else None,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "message_date_accuracy": dates_right / n if n else None,
        "disagreements": wrong,
    }
