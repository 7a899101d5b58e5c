"""Pipes as input (issue 21): `load <(…)`, named FIFOs with and without a writer, devices.

A pipe is read once into a private copy (within max_file_bytes) and then read like a file; a FIFO
that no program opens is refused by name instead of blocking; a device is refused as not a file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import pytest

import pipelines.streams as streams
from pipelines.__main__ import main
from pipelines.loader import load_files
from pipelines.readers import FileRefused, ReadLimits
from pipelines.readers.staging import _Scratch
from tests.conftest import INQUIRY_COLUMNS, csv_text, inquiry

ROOT = Path(__file__).resolve().parent.parent
CSV = csv_text(
    INQUIRY_COLUMNS,
    [inquiry(f"Q-{n:03d}", f"2026-11-{n % 28 + 1:02d} 10:00") for n in range(1, 41)],
).encode("utf-8")
MBOX = (
    b"From taro@example.jp Mon Nov  2 10:00:00 2026\n"
    b"From: Taro <taro@example.jp>\nTo: office@example.jp\nSubject: quote please\n"
    b"Date: Mon, 2 Nov 2026 10:00:00 +0900\nMessage-ID: <p1@example.jp>\n"
    b"Content-Type: text/plain; charset=utf-8\n\n" + "お名前：山田太郎\n".encode() + b"\n"
    b"From office@example.jp Mon Nov  2 11:00:00 2026\n"
    b"From: office@example.jp\nTo: taro@example.jp\nSubject: Re: quote please\n"
    b"Date: Mon, 2 Nov 2026 11:00:00 +0900\nMessage-ID: <p2@example.jp>\n"
    b"In-Reply-To: <p1@example.jp>\nContent-Type: text/plain; charset=utf-8\n\n"
    + "お見積り金額：12,000円\n".encode()
)


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(streams, "PIPE_WAIT_SECONDS", 0.5)
    return 0.5


def _own_scratch() -> list[Path]:
    """Private temporary folders of this process still on disk."""
    return list(Path(tempfile.gettempdir()).glob(f"{_Scratch.PREFIX}{os.getpid()}-*"))


def _inquiry_count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM inquiries").fetchone()[0]
    finally:
        con.close()


def _write_later(fifo: Path, data: bytes, delay: float = 0.0) -> threading.Thread:
    """A thread that opens the FIFO for writing (after delay seconds) and writes data."""

    def run() -> None:
        time.sleep(delay)
        with fifo.open("wb") as fh:
            fh.write(data)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _cli(*args: str, pass_fds: tuple[int, ...] = (), timeout: float = 120) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines", *args],
        cwd=ROOT,
        env=env,
        pass_fds=pass_fds,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# ------------------------------------------------------------------------------------------- load


@pytest.mark.slow
def test_load_reads_a_dev_fd_pipe_from_a_subprocess(tmp_path: Path):
    """`load <(cat file.csv)`: the CLI gets /dev/fd/N, a pipe with a writer; all rows are loaded."""
    db = tmp_path / "ops.duckdb"
    read_end, write_end = os.pipe()
    proc = _cli(
        "load", f"/dev/fd/{read_end}", "--lang", "en", "--db", str(db), pass_fds=(read_end,)
    )
    os.close(read_end)
    with os.fdopen(write_end, "wb") as fh:
        for start in range(0, len(CSV), 1000):  # in pieces, as a program writes
            fh.write(CSV[start : start + 1000])
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert "40 rows read, 40 loaded" in out.decode()
    assert "the file is empty" not in err.decode()
    assert _inquiry_count(db) == 40


@pytest.mark.slow
def test_load_through_bash_process_substitution(tmp_path: Path):
    """The same through a real shell: `python -m pipelines load <(cat inquiries.csv)`."""
    source = tmp_path / "inquiries.csv"
    source.write_bytes(CSV)
    db = tmp_path / "ops.duckdb"
    command = f'"{sys.executable}" -m pipelines load <(cat "{source}") --db "{db}"'
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    assert _inquiry_count(db) == 40


@pytest.mark.slow
def test_load_reads_a_fifo_whose_writer_comes_later(tmp_path: Path, short_wait: float):
    fifo = tmp_path / "inquiries.csv"
    os.mkfifo(fifo)
    writer = _write_later(fifo, CSV, delay=0.1)
    result = load_files([fifo], tmp_path / "ops.duckdb")
    writer.join(5)
    assert [p.rows_loaded for p in result.parts] == [40]
    assert result.parts[0].file_name == "inquiries.csv"  # the name the user gave
    assert not _own_scratch()


@pytest.mark.slow
def test_load_refuses_a_fifo_nobody_writes_to(tmp_path: Path, short_wait: float, capsys):
    """Without a writer the FIFO is refused by name after the wait: exit 2, nothing written."""
    fifo = tmp_path / "inquiries.csv"
    os.mkfifo(fifo)
    db = tmp_path / "ops.duckdb"
    started = time.monotonic()
    code = main(["load", str(fifo), "--lang", "en", "--db", str(db)])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2
    assert elapsed < short_wait + 5
    assert "inquiries.csv" in err
    assert "pipe" in err
    assert "no program wrote" in err
    assert "Traceback" not in err
    assert not db.exists()
    assert not _own_scratch()


def test_a_piped_file_over_the_size_limit_is_refused(tmp_path: Path):
    fifo = tmp_path / "big.csv"
    os.mkfifo(fifo)
    writer = _write_later(fifo, CSV)
    with pytest.raises(FileRefused) as caught:
        load_files([fifo], tmp_path / "ops.duckdb", limits=ReadLimits(max_file_bytes=1000))
    writer.join(5)
    assert caught.value.code == "LIMIT_PIPE_BYTES"
    assert "max_file_bytes" in str(caught.value)
    assert not (tmp_path / "ops.duckdb").exists()
    assert not _own_scratch()


def test_a_pipe_that_gives_nothing_is_empty(tmp_path: Path):
    fifo = tmp_path / "empty.csv"
    os.mkfifo(fifo)
    writer = _write_later(fifo, b"")
    with pytest.raises(FileRefused) as caught:
        load_files([fifo], tmp_path / "ops.duckdb")
    writer.join(5)
    assert caught.value.code == "FILE_EMPTY"


def test_a_device_is_refused_at_once(tmp_path: Path, capsys):
    """/dev/zero never ends: it is refused as not a file, not read."""
    started = time.monotonic()
    code = main(["load", "/dev/zero", "--lang", "en", "--db", str(tmp_path / "ops.duckdb")])
    err = capsys.readouterr().err
    assert code == 2
    assert time.monotonic() - started < 10
    assert "zero: is a device or a socket, not a file" in err


def test_the_refusals_have_japanese_words():
    from pipelines.i18n import t

    values = {"seconds": "5", "error": "No space left on device", "limit": "2.0 GiB"}
    for code in ("NOT_A_FILE", "PIPE_NO_WRITER", "PIPE_NO_SPACE", "LIMIT_PIPE_BYTES"):
        ja = t(f"refused.{code}", "ja", **values)
        assert ja
        assert ja != t(f"refused.{code}", "en", **values)


# ---------------------------------------------------------------------------------------- mailbox


def _office(folder: Path) -> Path:
    """A settings file naming the office's address (SPEC: the mailbox refuses to run without one)."""
    settings = folder / "office.toml"
    settings.write_text('[mailbox]\noffice_addresses = ["office@example.jp"]\n')
    return settings


@pytest.mark.slow
def test_mailbox_refuses_a_fifo_nobody_writes_to(tmp_path: Path, short_wait: float, capsys):
    fifo = tmp_path / "inbox.mbox"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(["mailbox", str(fifo), "--out", str(out), "--settings", str(_office(tmp_path))])
    err = capsys.readouterr().err
    assert code == 2
    assert time.monotonic() - started < short_wait + 5
    assert "inbox.mbox" in err
    assert "no program wrote" in err
    assert not out.exists()
    assert not _own_scratch()


def test_mailbox_reads_a_fifo_with_a_writer(tmp_path: Path, short_wait: float, capsys):
    fifo = tmp_path / "inbox"
    os.mkfifo(fifo)
    writer = _write_later(fifo, MBOX, delay=0.1)
    settings = tmp_path / "s.toml"
    settings.write_text('[mailbox]\noffice_addresses = ["office@example.jp"]\n')
    code = main(["mailbox", str(fifo), "--out", str(tmp_path / "out"), "--settings", str(settings)])
    writer.join(5)
    assert code == 0, capsys.readouterr().err
    quotes = (tmp_path / "out" / "mail_quote_log.csv").read_text(encoding="utf-8-sig")
    assert '"quote_sent"' in quotes
    assert '"12000"' in quotes
    assert not _own_scratch()


@pytest.mark.parametrize("content", ["mbox", "eml"])
def test_mailbox_reads_a_dev_fd_pipe_from_a_subprocess(tmp_path: Path, content: str):
    """`mailbox <(cat inbox.mbox)` and `<(cat one.eml)`: an mbox by its 'From ' line, else one mail."""
    data = MBOX if content == "mbox" else MBOX.split(b"\n", 1)[1].split(b"\n\nFrom ")[0]
    read_end, write_end = os.pipe()
    out = tmp_path / "out"
    settings = str(_office(tmp_path))
    proc = _cli(
        "mailbox",
        f"/dev/fd/{read_end}",
        "--lang",
        "en",
        "--out",
        str(out),
        "--settings",
        settings,
        pass_fds=(read_end,),
    )
    os.close(read_end)
    with os.fdopen(write_end, "wb") as fh:
        fh.write(data)
    stdout, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert f"Read {2 if content == 'mbox' else 1} message(s): 1 inquiry" in stdout.decode()
    inquiries = (out / "mail_inquiries.csv").read_text(encoding="utf-8-sig")
    assert "山田太郎" in inquiries


def test_mailbox_refuses_a_device(tmp_path: Path, capsys):
    code = main(
        [
            "mailbox",
            "/dev/zero",
            "--out",
            str(tmp_path / "out"),
            "--settings",
            str(_office(tmp_path)),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "/dev/zero: is a device or a socket, not a file" in err
    assert "Traceback" not in err
