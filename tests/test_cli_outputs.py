"""Every file the CLI writes is all or nothing (a disk-full or file-size limit leaves the old file or
none, exit 2); --json keeps stdout pure JSON; `| head` ends quietly; control characters in names never
reach the terminal raw."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.__main__ import main
from pipelines.untrusted import for_markdown, for_terminal
from tests.conftest import (
    EVENT_COLUMNS,
    INQUIRY_COLUMNS,
    build_db,
    csv_text,
    event,
    inquiry,
    write,
)

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("cli_outputs")

ROOT = Path(__file__).resolve().parent.parent
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m\x9b31m\u202e\x08"


def cli(*args: str, limit: int | None = None, **kw: object) -> subprocess.CompletedProcess:
    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        preexec_fn=limit_file_size if limit is not None else None,
        timeout=300,
        **kw,
    )


class Ran:
    """What an in-process CLI run left: its exit code and its output as bytes (like a process's)."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode = returncode
        self.stdout = stdout.encode()
        self.stderr = stderr.encode()


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """The CLI called in-process, from the project folder as `cli` runs it, for the tests that are
    about what it prints or writes rather than about the process (no Python start-up per call)."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Many items on 2026-11-24's lists (so the outputs are larger than the limit), some with
    hostile names."""
    folder = tmp_path_factory.mktemp("outputs")
    rows = [
        inquiry(f"Q{i:04d}", "2026-11-10 10:00", requested_for="2026-12-10", customer_name=f"客{i}")
        for i in range(300)
    ]
    rows.append(
        inquiry("QX1", "2026-11-10 11:00", requested_for="2026-11-30", customer_name=ESCAPES)
    )
    events = []
    for i in range(40):  # contracted calls for the calendar
        rows.append(inquiry(f"U{i:03d}", "2026-11-02 10:00", requested_for="2026-11-30 10:00"))
        events.append(event(f"U{i:03d}", "2026-11-03 10:00", "quote_sent", amount_jpy=5000))
        events.append(event(f"U{i:03d}", "2026-11-04 10:00", "contract_signed", amount_jpy=5000))
    return build_db(folder, rows, events)


# Every output goes through export.write_atomic and main's one OSError path: today --csv keeps the
# file-size limit in make test-fast; the calendar and the digest (a process each) run in make test.
@pytest.mark.slow
@pytest.mark.parametrize(
    ("option", "extra"),
    [
        ("--csv", []),
        pytest.param("--ics", [], marks=pytest.mark.slow),
        pytest.param("--out", ["digest"], marks=pytest.mark.slow),
    ],
    ids=["today-csv", "today-ics", "digest"],
)
def test_a_file_size_limit_leaves_the_old_file_and_says_so(
    tmp_path: Path, db: Path, option: str, extra: list[str]
) -> None:
    target = tmp_path / ("out.html" if extra else "out.bin")
    target.write_bytes(b"the old file")
    command = extra or ["today"]
    proc = cli(
        *command,
        "--lang",
        "en",
        "--db",
        str(db),
        "--as-of",
        "2026-11-24",
        option,
        str(target),
        limit=2000,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert f"{target}: could not be written" in err
    assert "the earlier file is left as it was" in err
    assert "Traceback" not in err
    assert target.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left


@pytest.mark.slow
def test_a_file_size_limit_with_no_old_file_leaves_none(tmp_path: Path, db: Path) -> None:
    target = tmp_path / "today.csv"
    proc = cli(
        "today",
        "--lang",
        "en",
        "--db",
        str(db),
        "--as-of",
        "2026-11-24",
        "--csv",
        str(target),
        limit=2000,
    )
    assert proc.returncode == 2
    assert "no file was written" in proc.stderr.decode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_outputs_written_without_a_limit_replace_the_file(
    tmp_path: Path, db: Path, run_cli
) -> None:
    target = tmp_path / "today.csv"
    target.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    proc = run_cli("today", "--db", str(db), "--as-of", "2026-11-24", "--csv", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink()  # the link's target was written, the link stays
    assert target.read_bytes().startswith("\ufeff".encode())


@pytest.mark.slow
def test_json_with_csv_prints_pure_json(tmp_path: Path, db: Path, run_cli) -> None:
    target = tmp_path / "today.csv"
    args = ("today", "--db", str(db), "--as-of", "2026-11-24", "--json")
    proc = run_cli(*args, "--csv", str(target), "--ics", str(tmp_path / "c.ics"))
    assert proc.returncode == 0
    data = json.loads(proc.stdout.decode())  # nothing but the JSON on stdout
    assert data["as_of"] == "2026-11-24"
    assert str(target) in proc.stderr.decode()


# main has one BrokenPipeError handler for every command: today and check (exit 1) keep it in make
# test-fast; the other outputs (a process each) run in make test.
@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        pytest.param(["today", "--json"], marks=pytest.mark.slow),
        pytest.param(["report"], marks=pytest.mark.slow),
        pytest.param(["report", "--json"], marks=pytest.mark.slow),
        ["check"],
    ],
    ids=lambda a: "-".join(a),
)
def test_piping_into_head_ends_quietly(db: Path, args: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines", *args, "--db", str(db)]
        + (["--as-of", "2026-11-24"] if args[0] != "check" else []),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(timeout=300)
    assert err == ""
    assert proc.returncode in (0, 1)  # check exits 1 when an audit fails; never a pipe error


@pytest.mark.slow
def test_control_characters_in_names_are_escaped_on_the_terminal(
    tmp_path: Path, db: Path, run_cli
) -> None:
    for args in (["today"], ["today", "--json"], ["today", "--lang", "ja"]):
        proc = run_cli(*args, "--db", str(db), "--as-of", "2026-11-24")
        out = proc.stdout.decode()
        assert proc.returncode == 0
        assert "QX1" in out
        for raw in ("\x1b", "\x07", "\x08", "\x9b", "\u202e"):
            assert raw not in out, (args, raw)
        assert "\\u001b" in out
    data = json.loads(run_cli("today", "--json", "--db", str(db), "--as-of", "2026-11-24").stdout)
    names = [i["customer_name"] for items in data["lists"].values() for i in items]
    assert ESCAPES in names  # the escapes are JSON's own: the data is unchanged


@pytest.mark.slow
def test_control_characters_in_file_names_and_headers(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "inq\x1b[2Jx\x07.csv"
    write(bad, csv_text([*INQUIRY_COLUMNS, "\x1b]0;col\x07"], [inquiry("R1")]))
    events = write(
        tmp_path / "ev\x1b[31m.csv", csv_text(EVENT_COLUMNS, [{"inquiry_id": "R1", "event": "x"}])
    )
    proc = run_cli("load", str(bad), str(events), "--db", str(tmp_path / "t.duckdb"))
    text = proc.stdout.decode() + proc.stderr.decode()
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "inq\\u001b[2Jx\\u0007.csv" in text
    refused = write(tmp_path / "empty\x1b[31m.csv", "")
    proc = run_cli("load", str(refused), "--db", str(tmp_path / "t.duckdb"))
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr.decode()
    assert "empty\\u001b[31m.csv" in proc.stderr.decode()


def test_the_helpers() -> None:
    assert for_terminal("a\x1b[31mb\tc\nd\x9b\u202e") == "a\\u001b[31mb\tc\nd\\u009b\\u202e"
    assert json.loads(for_terminal(json.dumps("\x9b\u202e", ensure_ascii=False))) == "\x9b\u202e"
    assert for_markdown("[x](http://e.com) ![](http://e.com/i.png) <b>") == (
        # a word joiner (U+2060) splits each scheme from its colon: GFM links "http\\:" too
        "\\[x\\](http\u2060\\://e.com) !\\[\\](http\u2060\\://e.com/i.png) \\<b\\>"
    )
