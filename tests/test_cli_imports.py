"""What `python -m pipelines` imports: each command only what it uses (issue 25's cold report, the
test loop of issue 19). Each case runs the CLI in a fresh process and reads its sys.modules."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.__main__ import COMMANDS, build_parser
from tests.conftest import INQUIRY_COLUMNS, build_db, csv_text, event, inquiry

ROOT = Path(__file__).resolve().parent.parent

# runs the package as `python -m pipelines ARGS` does and writes sys.modules as it is at the exit
RUN = """
import atexit, json, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
runpy.run_module("pipelines", run_name="__main__", alter_sys=True)
"""

# never needed to parse arguments, print help or refuse an argument
HEAVY = ("pandas", "numpy", "pyarrow", "duckdb")
# what report --json has no use for: pandas, numpy and Arrow (it reads DuckDB's tuples; numpy came
# with registering nfkc(), which only parse.sql's text cleaning uses), the message
# reader's rules (a read connection checks only READER_VERSION and the words), the holidays library
# (pipelines/holidays_jp.py), reading files and mail, the accounts, the pages, the workbook writers
# and readers, the Japanese tokenizer
NOT_FOR_REPORT = (
    "pandas",
    "numpy",
    "pyarrow",
    "holidays",
    "pipelines.message_reader.resolve",
    "pipelines.message_reader.japanese",
    "pipelines.message_reader.parallel",
    "argon2",
    "pipelines.office.accounts",
    "pipelines.office.cli",
    "pipelines.loader",
    "pipelines.readers.csv_reader",
    "pipelines.readers.xlsx",
    "pipelines.mailbox",
    "pipelines.sync",
    "pipelines.notify",
    "pipelines.worklist",
    "pipelines.export",
    "openpyxl",
    "python_calamine",
    "xlsxwriter",
    "sudachipy",
    "streamlit",
    "altair",
    "views",
)


def modules_of(tmp_path: Path, *args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules loaded by `python -m pipelines ARGS` when it exits, and the finished process."""
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(out), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return set(json.loads(out.read_text())), done


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of names (a package counts with its submodules) are among modules."""
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("report", "--help"),
        ("users", "--help"),
        ("report", "--as-of", "yesterday"),  # an argument error
        ("no-such-command",),
    ],
)
def test_help_and_argument_errors_load_neither_pandas_nor_duckdb(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    modules, done = modules_of(tmp_path, *args)
    assert done.returncode == (0 if args[-1] == "--help" else 2), done.stderr
    assert "usage: python -m pipelines" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert loaded(modules, HEAVY) == []


@pytest.mark.slow
def test_report_json_loads_only_what_it_uses(tmp_path: Path) -> None:
    db = build_db(
        tmp_path,
        [inquiry("Q1", "2026-11-02 10:00"), inquiry("Q2", "2026-11-16 09:00")],
        [event("Q1", "2026-11-02 11:00", "quote_sent")],
    )
    modules, done = modules_of(
        tmp_path, "report", "--json", "--db", str(db), "--as-of", "2026-11-20"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["as_of"] == "2026-11-20"
    assert "duckdb" in modules  # it did read the database
    assert loaded(modules, NOT_FOR_REPORT) == []


@pytest.mark.slow
def test_a_small_csv_load_imports_neither_pandas_nor_tqdm(tmp_path: Path) -> None:
    """`load` of a one-row CSV (an office's correction) reads it without pandas (DuckDB imports it
    to scan a Python object: ~0.5 CPU-s of a ~1 s run), shows no progress bar (tqdm) and reads no
    workbook (the xlsx reader)."""
    export = tmp_path / "inq.csv"
    export.write_text(csv_text(INQUIRY_COLUMNS, [inquiry("Q1")]), encoding="utf-8")
    db = tmp_path / "ops.duckdb"
    modules, done = modules_of(tmp_path, "load", str(export), "--db", str(db), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "1 loaded" in done.stdout
    assert loaded(modules, ("pandas", "tqdm", "pipelines.readers.xlsx")) == []


def test_the_mailbox_command_loads_neither_duckdb_nor_pandas(tmp_path: Path) -> None:
    """`mailbox` turns mail into CSV files: no database (DuckDB, Arrow) and no pandas (~0.5 CPU-s
    of a ~0.7 s run before they were left out)."""
    from tests.test_piped_inputs import MBOX, _office

    inbox = tmp_path / "inbox.mbox"
    inbox.write_bytes(MBOX)
    out = tmp_path / "out"
    modules, done = modules_of(
        tmp_path,
        "mailbox",
        str(inbox),
        "--lang",
        "en",
        "--out",
        str(out),
        "--settings",
        str(_office(tmp_path)),
    )
    assert done.returncode == 0, done.stderr
    assert "Read 2 message(s): 1 inquiry" in done.stdout
    assert "山田太郎" in (out / "mail_inquiries.csv").read_text(encoding="utf-8-sig")
    assert loaded(modules, ("duckdb", "pyarrow", "pandas", "pipelines.sync")) == []


def test_a_missing_database_is_reported_without_loading_the_rest(tmp_path: Path) -> None:
    """An error is worded from the modules already loaded (cli_exit), not by importing all."""
    missing = tmp_path / "none.duckdb"
    modules, done = modules_of(tmp_path, "report", "--json", "--db", str(missing), "--lang", "en")
    assert done.returncode == 2
    assert str(missing) in done.stderr
    assert "Traceback" not in done.stderr
    assert loaded(modules, ("pipelines.office.accounts", "pipelines.loader", "pandas")) == []


def test_the_command_table_lists_every_command_once() -> None:
    """build_parser(command) adds one command's arguments; COMMANDS must name every command the
    full parser has, so that each is found (and built exactly as in the full parser)."""
    named = [name for names, _ in COMMANDS for name in names]
    [sub] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert named == list(sub.choices)
    for name in named:
        [one] = [
            a for a in build_parser(name)._actions if isinstance(a, argparse._SubParsersAction)
        ]
        assert name in one.choices
        assert one.choices[name].format_help() == sub.choices[name].format_help()


@pytest.mark.slow
def test_the_public_names_are_still_importable() -> None:
    """`import pipelines; pipelines.report(...)` for notebooks: every name of __all__ resolves."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pipelines\n"
            "assert 'pandas' not in sys.modules and 'duckdb' not in sys.modules\n"
            "for name in pipelines.__all__: getattr(pipelines, name)\n"
            "from pipelines import report, connect, FileRefused\n"
            "assert pipelines.report is report and callable(connect)\n"
            "assert set(pipelines.__all__) <= set(dir(pipelines))\n",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
