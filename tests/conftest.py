"""Shared helpers: tiny exports written to tmp_path and loaded into a fresh database."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

import pipelines
from pipelines.loader import load_files

AS_OF = date(2026, 11, 24)  # a Tuesday; every test evaluates as of a fixed day
INQUIRY_COLUMNS = [
    "inquiry_id",
    "received_at",
    "customer_name",
    "customer_address",
    "customer_email",
    "target_phone",
    "requested_for",
    "service",
    "message",
    "channel",
    "staff_minutes",
]
EVENT_COLUMNS = ["inquiry_id", "event_at", "event", "amount_jpy", "staff", "staff_minutes", "note"]
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    """Rows as CSV text with the given header (missing keys are blank)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return out.getvalue()


def inquiry(inquiry_id: str, received_at: str = "2026-11-02 10:00", **fields: object) -> dict:
    """An inquiry row with full customer details unless overridden."""
    row = {
        "inquiry_id": inquiry_id,
        "received_at": received_at,
        "customer_name": "山田太郎",
        "customer_address": "東京都新宿区1-1",
        "target_phone": "03-1234-5678",
        "staff_minutes": 10,
        "service": "退職の連絡",
        "channel": "メール",
        "message": "見積もりをお願いします",
    }
    row.update(fields)
    return row


def event(inquiry_id: str, event_at: str, kind: str, minutes: int = 5, **fields: object) -> dict:
    """A quote-log row."""
    return {
        "inquiry_id": inquiry_id,
        "event_at": event_at,
        "event": kind,
        "staff_minutes": minutes,
        **fields,
    }


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write text to path in an encoding and return the path."""
    path.write_bytes(text.encode(encoding))
    return path


def build_db(
    tmp_path: Path, inquiries: list[dict], events: list[dict] = (), name: str = "t.duckdb"
) -> Path:
    """Load the given rows (as canonical CSV exports) into a new database; return its path."""
    db = tmp_path / name
    files = [write(tmp_path / "inq.csv", csv_text(INQUIRY_COLUMNS, inquiries))]
    if events:
        files.append(write(tmp_path / "ev.csv", csv_text(EVENT_COLUMNS, events)))
    load_files(files, db)
    return db


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (to prove a database was left exactly as it was)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def facts_of(tmp_path: Path):
    """Load rows and return the inquiry facts as of AS_OF, indexed by inquiry_id."""

    def run(inquiries: list[dict], events: list[dict] = (), as_of: date = AS_OF):
        db = build_db(tmp_path, inquiries, events)
        con = pipelines.connect(db)
        try:
            return pipelines.inquiry_facts(con, as_of).set_index("inquiry_id")
        finally:
            con.close()

    return run


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample loaded once per test session."""
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    load_files(sorted(SAMPLE_DIR.iterdir()), db)
    return db
