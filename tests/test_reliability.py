"""Reliability: killed loads, readers during loads, concurrent loads, and hostile inputs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import pipelines
from pipelines.demo import generate, write_exports
from pipelines.loader import load_files
from pipelines.readers import FileRefused
from tests.conftest import INQUIRY_COLUMNS, csv_text, file_digest, inquiry, write

ROOT = Path(__file__).resolve().parent.parent
# One worker runs them all under pytest-xdist: the big exports are generated once, and the kill and
# concurrency tests time their loads against each other, not against a neighbour's.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reliability")]


def cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def big_exports(tmp_path_factory: pytest.TempPathFactory) -> list[list[Path]]:
    """Three batches of canonical exports, each big enough that a load takes a while."""
    out = []
    for seed in range(3):
        data = generate(60_000, seed=seed, as_of=date(2026, 11, 24))
        data.inquiries["inquiry_id"] = f"S{seed}-" + data.inquiries["inquiry_id"]
        data.events["inquiry_id"] = f"S{seed}-" + data.events["inquiry_id"]
        out.append(write_exports(data, tmp_path_factory.mktemp(f"batch{seed}"), style="canonical"))
    return out


def count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM inquiries").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8, 1.5, 2.5])
def test_load_killed_at_any_moment_leaves_the_previous_database(
    tmp_path: Path, big_exports: list[list[Path]], delay: float
) -> None:
    """SIGKILL during a load: the process dies by the signal and the database is exactly as before that
    load (or, killed in the instant after the swap, wholly the new one): never half a load."""
    db = tmp_path / "k.duckdb"
    load_files([write(tmp_path / "seed.csv", csv_text(INQUIRY_COLUMNS, [inquiry("K1")]))], db)
    before = file_digest(db)
    proc = cli("load", *map(str, big_exports[0]), "--db", str(db))
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    killed = proc.returncode == -signal.SIGKILL
    assert killed or proc.returncode == 0, proc.returncode
    if delay < 1:  # starting Python and reading 60,000 rows takes longer: the kill must have landed
        assert killed
        assert file_digest(db) == before
    if file_digest(db) == before:
        assert killed  # the load did not finish, and left nothing behind in the database
        assert count(db) == 1
    else:
        assert count(db) == 60_001  # the swap happened: all of the load, never part of it
    # the next load cleans up any stray copy and lands
    loaded = count(db)
    load_files(big_exports[1][:1], db)
    assert not list(tmp_path.glob(".k.duckdb.loading-*"))
    assert count(db) == loaded + 60_000


def test_reader_sees_old_or_new_state_never_a_mix(
    tmp_path: Path, big_exports: list[list[Path]]
) -> None:
    """A reader computing the report in a loop during three loads never errors and never sees half a load."""
    db = tmp_path / "r.duckdb"
    load_files([write(tmp_path / "seed.csv", csv_text(INQUIRY_COLUMNS, [inquiry("R1")]))], db)
    script = (
        "import sys, time, pipelines\n"
        "db = sys.argv[1]; end = time.time() + float(sys.argv[2])\n"
        "while time.time() < end:\n"
        "    con = pipelines.connect(db)\n"
        "    r = pipelines.report(con, as_of='2026-11-24')\n"
        "    n = con.execute('SELECT count(*) FROM inquiries').fetchone()[0]\n"
        "    e = con.execute('SELECT count(DISTINCT left(inquiry_id, 2)) FROM events').fetchone()[0]\n"
        "    con.close()\n"
        "    print(r['inquiries'], n, e, flush=True)\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", script, str(db), "25"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for batch in big_exports:
        load_files(batch, db)
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    states = [tuple(map(int, line.split())) for line in out.splitlines()]
    assert len(states) > 5
    # each batch adds 60,000 inquiries and its events together: (inquiries, distinct batches in events)
    assert {(n, e) for _r, n, e in states} <= {(1, 0), (60_001, 1), (120_001, 2), (180_001, 3)}
    assert all(r == n for r, n, _e in states)


def test_two_loads_at_once_both_land(tmp_path: Path, big_exports: list[list[Path]]) -> None:
    """Two load commands at once: the second waits for the first; nothing is lost."""
    db = tmp_path / "c.duckdb"
    load_files([write(tmp_path / "seed.csv", csv_text(INQUIRY_COLUMNS, [inquiry("C1")]))], db)
    first = cli("load", *map(str, big_exports[0]), "--db", str(db))
    second = cli("load", *map(str, big_exports[1]), "--db", str(db))
    assert first.wait(timeout=300) == 0
    assert second.wait(timeout=300) == 0
    first.communicate()
    second.communicate()
    assert count(db) == 120_001


def test_busy_load_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    """With --wait 0 a second load is refused, naming the reason, exit code 75."""
    from pipelines.store import write_lock as load_lock

    db = tmp_path / "b.duckdb"
    path = write(tmp_path / "a.csv", csv_text(INQUIRY_COLUMNS, [inquiry("B1")]))
    with load_lock(db):
        proc = cli("load", str(path), "--lang", "en", "--db", str(db), "--wait", "0")
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 75
    assert b"another load is running" in err


def _xlsx_with_formula(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["inquiry_id", "received_at", "staff_minutes"])
    ws.append(["F1", "2026-11-24", "=1+1"])
    ws.append(['=HYPERLINK("http://x")', "2026-11-24", 3])
    wb.save(path)
    return path


def _bytes(name: str, data: bytes):
    return lambda tmp: _write(tmp / name, data)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


HEADER = b"inquiry_id,received_at,customer_name,staff_minutes\n"
HOSTILE = {
    "truncated mid-row": _bytes("t.csv", HEADER + b"Q1,2026-11-24,A,3\nQ2,2026-11-2"),
    "truncated inside quotes": _bytes("q.csv", HEADER + b'Q1,2026-11-24,"unfinished'),
    "two encodings": _bytes(
        "m.csv",
        HEADER + "Q1,2026-11-24,山田,1\n".encode() + "Q2,2026-11-24,佐藤,1\n".encode("cp932"),
    ),
    "NUL bytes": _bytes("n.csv", HEADER + b"Q1,2026-11-24,A\x00B,3\n"),
    "10 MB single line": _bytes("l.csv", HEADER + b"Q1,2026-11-24," + b"x" * 10_000_000 + b",3\n"),
    "huge numbers": _bytes(
        "h.csv", HEADER + b"Q1,2026-11-24,A,99999999999999999999999999\nQ2,2026-11-24,B,1e308\n"
    ),
    "year 9999": _bytes("y.csv", HEADER + b"Q1,9999-12-31,A,1\nQ2,0001-01-01,B,1\n"),
    "SQL-looking text": _bytes(
        "s.csv",
        HEADER + b"Q1';DROP TABLE inquiries;--,2026-11-24,\"Robert'); DROP TABLE events;--\",1\n",
    ),
    "1,000 columns": _bytes(
        "w.csv",
        b"inquiry_id,received_at,"
        + b",".join(b"c%d" % i for i in range(998))
        + b"\nQ1,2026-11-24"
        + b",x" * 998
        + b"\n",
    ),
    "formula cells in CSV": _bytes("f.csv", HEADER + b"=cmd|' /C calc'!A0,2026-11-24,+SUM(1),@1\n"),
    "formula cells in xlsx": lambda tmp: _xlsx_with_formula(tmp / "f.xlsx"),
    "only a header": _bytes("o.csv", HEADER),
    "BOM only": _bytes("b.csv", b"\xef\xbb\xbf"),
    "CR-only line ends": _bytes("cr.csv", HEADER.replace(b"\n", b"\r") + b"Q1,2026-11-24,A,1\r"),
    "random binary": _bytes("r.csv", os.urandom(4096)),
    "gzip renamed csv": _bytes("g.csv", b"\x1f\x8b\x08\x00" + os.urandom(100)),
    "html page": _bytes("p.csv", b"<!doctype html><html><body>Export failed</body></html>\n"),
    "json file": _bytes("j.csv", b'[{"inquiry_id": "Q1"}]\n'),
    "zip bomb-ish empty zip": lambda tmp: _empty_zip(tmp / "z.xlsx"),
    "control characters": _bytes("c.csv", HEADER + b"Q1,2026-11-24,A\x07\x1b[31m,1\n"),
    "quote in unquoted field": _bytes(
        "u.csv", HEADER + b'Q1,2026-11-24,Ab"c,1\nQ2,2026-11-24,B,2\n'
    ),
    "emoji and surrogates": _bytes("e.csv", HEADER + "Q1,2026-11-24,山田😀,1\n".encode()),
    "semicolon dialect": _bytes("sc.csv", b"inquiry_id;received_at\nQ1;2026-11-24\n"),
}


def _empty_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w"):
        pass
    return path


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_inputs_get_a_clear_outcome(tmp_path: Path, case: str) -> None:
    """Each hostile input is refused with a message naming the file, or loaded row by row; never a crash."""
    path = HOSTILE[case](tmp_path)
    db = tmp_path / "h.duckdb"
    try:
        result = load_files([path], db)
    except FileRefused as exc:
        assert str(exc).startswith(path.name + ": ")
        return
    for part in result.parts:
        assert part.rows_read == part.rows_loaded + part.rows_duplicate + part.rows_quarantined
    con = pipelines.connect(db)
    try:
        quarantined = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE reason_code <> '' AND reason_params IS NOT NULL) "
            "FROM quarantine"
        ).fetchone()
        assert quarantined[0] == quarantined[1] == sum(p.rows_quarantined for p in result.parts)
        # the tables survived (SQL-looking text is data) and hold exactly the rows loaded
        for table in ("inquiries", "events"):
            stored = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert stored == sum(p.rows_loaded for p in result.parts if p.kind == table), table
        pipelines.report(con, as_of="2026-11-24")
    finally:
        con.close()


def test_sql_looking_text_is_stored_verbatim(tmp_path: Path) -> None:
    """Text that looks like SQL is data: stored as written."""
    db = tmp_path / "s.duckdb"
    load_files([HOSTILE["SQL-looking text"](tmp_path)], db)
    con = pipelines.connect(db)
    assert con.execute("SELECT inquiry_id, customer_name FROM inquiries").fetchall() == [
        ("Q1';DROP TABLE inquiries;--", "Robert'); DROP TABLE events;--")
    ]
    con.close()


def test_frame_roundtrip_unaffected(tmp_path: Path) -> None:
    """pandas can read the facts of a hostile-but-loaded file (emoji, control characters)."""
    db = tmp_path / "e.duckdb"
    load_files([HOSTILE["emoji and surrogates"](tmp_path)], db)
    con = pipelines.connect(db)
    frame = pipelines.inquiry_facts(con, "2026-11-24")
    con.close()
    assert isinstance(frame, pd.DataFrame)
    assert frame.loc[0, "customer_name"] == "山田😀"
