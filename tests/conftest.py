"""Shared helpers: tiny exports written to tmp_path and loaded into a fresh database."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from argon2 import PasswordHasher

import pipelines
from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES
from pipelines.definitions import prepare
from pipelines.derived import refresh_derived
from pipelines.loader import load_files
from pipelines.office import accounts
from pipelines.settings import Settings, load_settings
from tests.memory_dbs import MEMORY_DBS, insert_rows

AS_OF = date(2026, 11, 24)  # a Tuesday; every test evaluates as of a fixed day
INQUIRY_COLUMNS = list(INQUIRY_ALIASES)  # the canonical columns, in order
EVENT_COLUMNS = list(EVENT_ALIASES)
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
# make test-fast sets OPSDASH_FAST_TESTS=1: property tests try fewer random examples there (the same
# assertions); make test and CI try them all.
FAST = os.environ.get("OPSDASH_FAST_TESTS") == "1"


# Tests hash passwords with argon2id at the lowest costs (microseconds, not ~0.1 s per hash and per
# verify), as Django's test settings use a fast hasher; production keeps the recommended costs
# (test_accounts_store checks them). Hashes made here verify anywhere: the costs are in the hash.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    """Every test in this process hashes with TEST_HASHER."""
    previous = accounts.use_hasher(TEST_HASHER)
    yield
    accounts.use_hasher(previous)


def examples(n: int) -> int:
    """How many random examples a property test tries: n, or an eighth of n (at least 10) when FAST."""
    return max(10, n // 8) if FAST else n


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


def copy_folder(template: Path, to: Path) -> Path:
    """Copy every file of a folder a module fixture prepared once (a loaded database, its office
    store, the exports it came from) into a test's own folder; returns to. Each test changes only
    its copy, so a module pays for one load instead of one per test."""
    shutil.copytree(template, to, dirs_exist_ok=True)
    return to


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (to prove a database was left exactly as it was)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def memory_db(
    inquiries: list[dict], events: Iterable[dict] = (), settings: Settings | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the rows inserted directly (no loader), ready for the API.

    Rows are dicts as `inquiry()` and `event()` make them; times are 'YYYY-MM-DD HH:MM' text.
    The database comes from the process's pool (tests/memory_dbs.py), prepared and empty: close()
    or dropping every reference to it hands it back, emptied, for the next test.
    """
    settings = settings or load_settings()
    con, prepared = MEMORY_DBS.take(settings)
    if not prepared:
        prepare(con, settings)  # its own settings: variables, calendar (the macros are there)
    insert_rows(con, list(inquiries), list(events))
    refresh_derived(con, settings)  # as a load does
    return con


def assert_rows(frame: pd.DataFrame, expected: list[dict], key: str | None = None) -> None:
    """frame's rows equal the expected dicts, comparing only the columns the dicts name.

    With key, rows are matched by that column (any order); without, in order.
    """
    columns = list(dict.fromkeys(c for row in expected for c in row))
    missing = [c for c in columns if c not in frame.columns]
    assert not missing, f"no such columns: {missing}"

    def plain(value: object) -> object:
        if isinstance(value, list | tuple) or hasattr(value, "tolist"):
            value = value.tolist() if hasattr(value, "tolist") else list(value)
            return list(value) if isinstance(value, list | tuple) else value
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        return value.item() if hasattr(value, "item") else value

    actual = [{c: plain(row[c]) for c in columns} for row in frame.to_dict("records")]
    wanted = [{c: plain(row.get(c)) for c in columns} for row in expected]
    if key is not None:
        actual = sorted(actual, key=lambda r: str(r[key]))
        wanted = sorted(wanted, key=lambda r: str(r[key]))
    assert actual == wanted


@pytest.fixture
def facts_of():
    """Insert rows into an in-memory database; the inquiry facts as of AS_OF, by inquiry_id."""

    def run(
        inquiries: list[dict],
        events: Iterable[dict] = (),
        as_of: date = AS_OF,
        settings: Settings | None = None,
    ) -> pd.DataFrame:
        con = memory_db(inquiries, events, settings)
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


def dashboard(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None, **params: str):
    """The dashboard through Streamlit's AppTest on database db, with URL parameters, after one run.

    With page (e.g. "views/today.py") that run opens the page's own URL, as a link or a bookmark
    does, instead of the home page first."""
    from streamlit.testing.v1 import AppTest

    _share_streamlit_setup()
    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("OPSDASH_DB", str(db))
    monkeypatch.setenv("OPSDASH_RAISE_PAGE_ERRORS", "1")
    monkeypatch.chdir(root)
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=120)
    # Pages open in the office's language (Japanese by default): these tests read English words.
    monkeypatch.setattr("views.common.office_language", lambda: "en")
    for key, value in params.items():
        at.query_params[key] = value
    if page is not None:
        at.switch_page(page)  # before the first run: the page whose URL path is the file's name
    return at.run()


@functools.cache
def _share_streamlit_setup() -> None:
    """What every new AppTest rebuilds that a Streamlit server builds once for all its sessions:

    - the scan of every installed package's metadata for components (~0.14 CPU-s per AppTest, as
      much as the rest of a cached Overview run on the sample): packages do not change during tests;
    - the compiled pages (a ScriptCache per run: ~0.03 CPU-s of parsing and magic per run). AppTest
      names a from_function script by its text's hash, so one path is one text; tests edit no page.
    """
    from streamlit.components.v2 import manifest_scanner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    found = manifest_scanner.scan_component_manifests()
    manifest_scanner.scan_component_manifests = lambda max_workers=None: list(found)
    compiled = ScriptCache()
    app_test.ScriptCache = lambda: compiled


@pytest.fixture(autouse=True)
def _streamlit_setup_once_per_process() -> None:
    """Tests that drive Streamlit's AppTest share that setup (tests that import nothing of it skip)."""
    if "streamlit.testing.v1" in sys.modules:
        _share_streamlit_setup()


# The fast loop stays fast (docs/testing.md): a test over this many seconds (setup, call and teardown,
# a module fixture's first build included) belongs under the slow mark. Reported, not failed: a busy
# machine makes any test slow now and then.
SLOW_SECONDS = 2.0


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """In make test-fast, name the tests that took over SLOW_SECONDS without the slow mark."""
    if not FAST:
        return
    seconds: dict[str, float] = {}
    for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed"):
        seconds[report.nodeid] = seconds.get(report.nodeid, 0.0) + report.duration
    for report in terminalreporter.stats.get("", []):  # setup and teardown reports
        if hasattr(report, "nodeid") and report.nodeid in seconds:
            seconds[report.nodeid] += report.duration
    slow = sorted((s, n) for n, s in seconds.items() if s > SLOW_SECONDS)
    if slow:
        terminalreporter.write_sep("-", f"over {SLOW_SECONDS:g} s without the slow mark")
        for s, nodeid in reversed(slow):
            terminalreporter.write_line(f"{s:5.1f} s  {nodeid}")
