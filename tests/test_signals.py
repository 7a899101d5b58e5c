"""Ctrl-C (SIGINT) and SIGTERM during a real load: exit 130/143 with "interrupted, database unchanged"
and the database byte for byte as before, or, once the swap began, a clean finish that says so and the
whole load in the database. Never a traceback, never an ignored signal."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.demo import generate, write_exports
from tests.conftest import INQUIRY_COLUMNS, csv_text, inquiry, write

ROOT = Path(__file__).resolve().parent.parent
N_INQUIRIES = 4_000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    data = generate(N_INQUIRIES, seed=3, as_of=date(2026, 11, 24))
    return write_exports(data, tmp_path_factory.mktemp("export"), style="canonical")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inquiries_in(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM inquiries").fetchone()[0]
    finally:
        con.close()


def seeded_db(tmp_path: Path) -> Path:
    db = tmp_path / "ops.duckdb"
    seed = write(tmp_path / "seed.csv", csv_text(INQUIRY_COLUMNS, [inquiry("SEED1")]))
    from pipelines.loader import load_files

    load_files([seed], db)
    return db


def start_load(db: Path, files: list[Path], **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipelines",
            "load",
            *map(str, files),
            "--lang",
            "en",
            "--db",
            str(db),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def check_outcome(proc: subprocess.Popen, sig: int, db: Path, before: str) -> tuple[str, str]:
    """The one allowed pair of outcomes; returns which happened and what was said on stderr."""
    out, err = proc.communicate(timeout=300)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    assert "RuntimeError" not in text, text
    if proc.returncode == 128 + sig:
        assert "interrupted, database unchanged" in text, text
        assert digest(db) == before
        assert inquiries_in(db) == 1
        return "unchanged", text
    assert proc.returncode == 0, (proc.returncode, text)
    assert inquiries_in(db) == N_INQUIRIES + 1  # the whole load, never part of it
    assert "database updated" in out.decode() + text
    return "finished", text


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("stage", ["copied", "applied", "swap"])
def test_a_signal_before_the_swap_leaves_the_database_unchanged(
    tmp_path: Path, export: list[Path], sig: int, stage: str
) -> None:
    db = seeded_db(tmp_path)
    before = digest(db)
    proc = start_load(db, export, OPSDASH_TEST_SIGNAL_AT=f"{stage}:{signal.Signals(sig).name}")
    assert check_outcome(proc, sig, db, before)[0] == "unchanged"
    assert not list(tmp_path.glob(".ops.duckdb.loading-*"))  # the copy is cleaned up


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_swap_finishes_the_load_and_says_so(
    tmp_path: Path, export: list[Path], sig: int
) -> None:
    db = seeded_db(tmp_path)
    before = digest(db)
    proc = start_load(db, export, OPSDASH_TEST_SIGNAL_AT=f"swapped:{signal.Signals(sig).name}")
    outcome, said = check_outcome(proc, sig, db, before)
    assert outcome == "finished"
    assert "interrupted during the swap: the load finished, database updated" in said


@pytest.mark.slow
@pytest.mark.timing
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_at_any_moment_of_a_real_load(
    tmp_path: Path, export: list[Path], sig: int
) -> None:
    """Signals sent after a spread of delays land while Python starts, while files are read and
    typed, inside DuckDB queries (where DuckDB turns the handler's exception into `Query
    interrupted`) and around the swap."""
    started = time.perf_counter()
    (tmp_path / "timing").mkdir()
    proc = start_load(seeded_db(tmp_path / "timing"), export)
    proc.communicate(timeout=300)
    whole = time.perf_counter() - started
    outcomes = []
    # the first lands while the program imports (before that, Python's own default handles it)
    for i, fraction in enumerate((0.15, 0.3, 0.45, 0.6, 0.8, 1.0)):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        db = seeded_db(folder)
        before = digest(db)
        proc = start_load(db, export)
        time.sleep(whole * fraction)
        proc.send_signal(sig)
        outcomes.append(check_outcome(proc, sig, db, before)[0])
    assert outcomes[0] == "unchanged"  # still starting: the signal must have landed


def test_the_interrupt_message_and_code_in_process(tmp_path: Path, monkeypatch) -> None:
    """A Ctrl-C that DuckDB reports as RuntimeError still ends as an interrupt, not a traceback."""
    from pipelines import __main__ as cli
    from pipelines import interrupts

    db = seeded_db(tmp_path)
    before = digest(db)
    export = write(tmp_path / "more.csv", csv_text(INQUIRY_COLUMNS, [inquiry("MORE1")]))

    def interrupted_query(*args: object, **kwargs: object) -> object:
        interrupts._state["received"] = signal.SIGTERM
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(cli, "load_files", interrupted_query)
    callers_handler = signal.getsignal(signal.SIGINT)  # pytest's, or SIG_IGN in a background job
    assert cli.main(["load", str(export), "--lang", "en", "--db", str(db)]) == 143
    assert digest(db) == before
    # the caller's handlers are back (pytest's own Ctrl-C still works)
    assert signal.getsignal(signal.SIGINT) is callers_handler
    # and the signal is forgotten: a later load in this process is not interrupted by it
    assert interrupts.received() is None
    interrupts.checkpoint("applied")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("stage", ["after_swap", "recorded", "printed"])
def test_a_signal_after_the_swap_is_too_late_and_says_so(
    tmp_path: Path, sig: int, stage: str
) -> None:
    """Once the new database is in place the rest (clean-up, the audit row, the summary) runs to
    its end: exit 0, the summary printed, "the signal came too late" said, the load in the database
    — never an end by the signal with nothing said."""
    db = seeded_db(tmp_path)
    more = write(tmp_path / "more.csv", csv_text(INQUIRY_COLUMNS, [inquiry("MORE1")]))
    proc = start_load(db, [more], OPSDASH_TEST_SIGNAL_AT=f"{stage}:{signal.Signals(sig).name}")
    out, err = proc.communicate(timeout=300)
    text = err.decode("utf-8", "replace")
    assert proc.returncode == 0, (proc.returncode, text)
    assert "Traceback" not in text
    assert "more.csv: inquiry log" in out.decode()
    assert "database updated" in out.decode()
    assert "finished, the signal came too late" in text
    assert inquiries_in(db) == 2


@pytest.mark.slow
def test_the_signal_that_came_too_late_in_japanese(tmp_path: Path) -> None:
    db = seeded_db(tmp_path)
    more = write(tmp_path / "more.csv", csv_text(INQUIRY_COLUMNS, [inquiry("MORE1")]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "load", str(more), "--lang", "ja", "--db", str(db)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "OPSDASH_TEST_SIGNAL_AT": "printed"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0
    assert "データベースを更新しました" in out.decode()
    assert "中断の指示は遅すぎました" in err.decode()
