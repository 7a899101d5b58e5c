"""CSV reading: one semantics on the fast path (byte scan and DuckDB) and the exact path (Python),
separators from the header, and the staging interface between the readers and the loader.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import readers
from pipelines.loader import PartResult
from pipelines.readers import (
    Staged,
    file_sha256,
    open_source,
)
from tests.conftest import examples
from tests.reading import FILES, HEADER, load, rows, worded_rows


def _outcome(db: Path, part: PartResult) -> tuple:
    return (
        (part.rows_read, part.rows_loaded, part.rows_quarantined, part.rows_blank),
        worded_rows(db, "SELECT line, raw, column_name, reason FROM quarantine ORDER BY line"),
        rows(db, "SELECT * EXCLUDE (load_id) FROM inquiries ORDER BY source_line"),
    )


@contextlib.contextmanager
def exact_path() -> Iterator[None]:
    """Every CSV read by the exact path (Python), the definition of the semantics."""
    real = readers._CsvReader.stage
    with mock.patch.object(
        readers._CsvReader, "stage", lambda self, con, exact: real(self, con, True)
    ):
        yield


@contextlib.contextmanager
def fast_path_only() -> Iterator[None]:
    """Fail if the fast path (scan + DuckDB) hands a CSV to the exact path: it must read everything."""
    with mock.patch.object(
        readers.csv_reader, "_read_exact", side_effect=AssertionError("fell back")
    ):
        yield


def load_both(tmp: Path, text: str, encoding: str = "utf-8") -> tuple[tuple, tuple]:
    path = tmp / "f.csv"
    path.write_bytes(text.encode(encoding))
    with fast_path_only():
        fast = load(path, tmp / "fast.duckdb")
    with exact_path():
        slow = load(path, tmp / "slow.duckdb")
    return _outcome(fast[1], fast[0]), _outcome(slow[1], slow[0])


VALUES = st.sampled_from(
    ["Q1", "Q2", "2026-11-24", "2026-11-24 24:00", "山田", "", " ", "\u3000", "\u200b", "a,b",
     'x"y', '"', "\r", "\n", "\r\n", "x\ry", "10", ";", "\t"]
)  # fmt: skip


@st.composite
def rendered_value(draw: st.DrawFn) -> str:
    value = draw(VALUES | st.text(alphabet='ab ,;\t"\r\n\u3000', max_size=5))
    if draw(st.booleans()):  # properly quoted, else written as is (possibly malformed)
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def records(draw: st.DrawFn, sep: str = ",") -> str:
    """Records of 0-5 values (the header has 3) with LF or CRLF endings, the last maybe unended."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        values = [draw(rendered_value()) for _ in range(draw(st.integers(0, 5)))]
        lines.append(sep.join(values) + draw(st.sampled_from(["\n", "\r\n", "\n", "\r\n", ""])))
    return "".join(lines)


@st.composite
def files(draw: st.DrawFn) -> str:
    """A header and random records, separated by a comma, a tab or a semicolon."""
    sep = draw(st.sampled_from([",", ",", "\t", ";"]))
    return HEADER.replace(",", sep) + draw(records(sep))


def staged(path: Path, exact: bool | None = None) -> tuple[list[tuple], list[tuple], int]:
    """What the reader stages of one CSV into an in-memory connection, as the loader takes it.

    Returns (line, value…) of every row that is not blank (the loader drops rows of blank values),
    (line, raw, column, code, reason) of every reject, and the number of blank lines. exact=None
    reads as the loader does: fast, and exactly when the fast rows disagree with the byte scan;
    exact=False must number its rows without that second reading.
    """
    source = open_source(path, file_sha256(path))
    con = duckdb.connect()
    try:
        [part] = source.parts
        for attempt in (False, True) if exact is None else (exact,):
            staging = part.stage(con, exact=attempt)
            try:
                data = con.execute(f"SELECT * FROM {staging.relation}").fetchall()
                lines = staging.lines(len(data))
            finally:
                staging.close()
            if lines is not None:
                break
        assert lines is not None, "the reading did not number its rows"
        kept = [
            (int(line), *values)
            for line, values in zip(lines, data, strict=True)
            if not all(readers.is_blank(v) for v in values)
        ]
        rejects = [(r.line, r.raw, r.column, r.code, r.reason) for r in staging.rejects]
        return kept, rejects, staging.blank_rows + len(data) - len(kept)
    finally:
        con.close()
        source.close()


@pytest.mark.slow
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=files())
def test_fast_and_exact_paths_give_every_row_the_same_outcome(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Issue: one stray quote sent a file down the exact path, where rows got other outcomes.

    For random rows with quotes, CR, LF, extra and missing values, the fast path (byte scan and
    DuckDB, never falling back) and the exact path (Python) agree on every row: its line, loaded
    values or quarantine reason, and the counts.

    Read through the staging interface: the loader makes the same rows of the same staged values.
    """
    path = tmp_path_factory.mktemp("diff") / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    with fast_path_only():
        fast = staged(path, exact=False)
    assert fast == staged(path, exact=True)


@pytest.mark.slow
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(others=records(), target=records())
def test_a_rows_outcome_does_not_depend_on_unrelated_rows(
    tmp_path_factory: pytest.TempPathFactory, others: str, target: str
) -> None:
    """A record gets the same outcome alone or after other records (whose quotes are balanced).

    Read through the staging interface, as the loader reads: the same line, values or reason.
    """
    if others.count('"') % 2 or not others.endswith("\n"):
        others += '"\n' if others.count('"') % 2 else "\n"
    tmp = tmp_path_factory.mktemp("alone")
    alone = tmp / "alone.csv"
    alone.write_text(HEADER + target, encoding="utf-8", newline="")
    after = tmp / "after.csv"
    after.write_text(HEADER + others + target, encoding="utf-8", newline="")
    shift = (HEADER + others).count("\n")
    a_rows, a_rejects, _ = staged(alone)
    b_rows, b_rejects, _ = staged(after)
    first_line = shift + 1
    a_q = [(line, raw, reason) for line, raw, _, _, reason in a_rejects]
    b_q = [
        (line - shift + 1, raw, reason)
        for line, raw, _, _, reason in b_rejects
        if line >= first_line
    ]
    assert a_q == b_q
    b_rows = [(line - shift + 1, *values) for line, *values in b_rows if line >= first_line]
    assert sorted(a_rows, key=str) == sorted(b_rows, key=str)


@pytest.mark.slow
def test_the_decided_semantics_on_both_paths(tmp_path: Path) -> None:
    """`"quoted" then text` is malformed quoting and extra empty values a wrong column count — on both
    paths; a quote inside an unquoted value is malformed too, and an unbalanced quote runs to the end."""
    text = HEADER + (
        'Q1,2026-11-24,"quoted" then text\n'
        "Q2,2026-11-24,x,,\n"
        'Q3,2026-11-24,"ok, ""fine"""\n'
        "Q4,2026-11-24,x\ry\n"
        'Q5,2026-11-24,a"b\n'
        "Q6,2026-11-24,never seen\n"
    )
    fast, slow = load_both(tmp_path, text)
    assert fast == slow
    (_, quarantine, loaded) = fast
    assert [(line, reason.split(":")[0]) for line, _, _, reason in quarantine] == [
        (2, "malformed quoting"),
        (3, "wrong column count"),
        (5, "malformed line break"),
        (6, "malformed quoting"),
    ]
    assert quarantine[-1][1] == 'Q5,2026-11-24,a"b\nQ6,2026-11-24,never seen\n'  # nothing lost
    assert [(r[0], r[2]) for r in loaded] == [("Q3", 'ok, "fine"')]


@pytest.mark.slow
def test_separators_are_found_from_the_header(tmp_path: Path) -> None:
    """Tab and semicolon separators are taken from the header line (the one that makes it recognisable)."""
    path = tmp_path / "events_semicolon.csv"
    path.write_bytes((FILES / "events_semicolon.csv").read_bytes())
    part, db = load(path)
    assert (part.kind, part.separator, part.rows_loaded) == ("events", ";", 1)
    assert rows(db, "SELECT event, amount_jpy, staff FROM events") == [
        ("quote_sent", 12000, "佐藤")
    ]
    tab = tmp_path / "tab.csv"
    tab.write_text(HEADER.replace(",", "\t") + "Q1\t2026-11-24\ta,b\n", encoding="utf-8")
    part, db = load(tab)
    assert part.separator == "\t"
    assert rows(db, "SELECT customer_name FROM inquiries") == [("a,b",)]


@pytest.mark.slow
def test_reading_a_csv_in_excel_dialect_matches_python_csv(tmp_path: Path) -> None:
    """Well-formed files (as csv.writer writes them) read the same on both paths and as Python reads them."""
    table = [
        ["Q1", "2026-11-24", 'say "hi", then\r\nleave'],
        ["Q2", "2026-11-25", ""],
        ["Q3", "2026-11-26", " "],
    ]
    out = io.StringIO()
    csv.writer(out).writerows([HEADER.strip().split(","), *table])
    fast, slow = load_both(tmp_path, out.getvalue())
    assert fast == slow
    assert [(r[0], r[2]) for r in fast[2]] == [
        ("Q1", 'say "hi", then\r\nleave'),
        ("Q2", None),
        ("Q3", None),
    ]


@pytest.mark.parametrize("exact", [False, True])
def test_a_part_stages_through_a_documented_interface(tmp_path: Path, exact: bool) -> None:
    """Part.stage() returns a Staged: a relation of c0…cN in file order, its lines, rejects, blank
    lines, and close() drops what it created — no temp-table names shared by convention."""
    path = tmp_path / "t.csv"
    path.write_text(
        HEADER + 'Q1,2026-11-24,a\n\n,,\nQ2,2026-11-24,x,y\nQ3,2026-11-25,"b\nc"\n',
        encoding="utf-8",
    )
    source = open_source(path, file_sha256(path))
    con = duckdb.connect()
    try:
        before = set(_catalog(con))
        staged = source.parts[0].stage(con, exact=exact)
        assert isinstance(staged, Staged)
        assert set(_catalog(con)) - before == {staged.relation}
        data = con.execute(f"SELECT * FROM {staged.relation}").fetchall()
        assert data == [("Q1", "2026-11-24", "a"), ("Q3", "2026-11-25", "b\nc")]
        assert list(staged.lines(len(data))) == [2, 6]
        assert staged.lines(len(data) + 1) is None
        assert [(r.line, r.code) for r in staged.rejects] == [(5, "WRONG_COLUMN_COUNT")]
        assert staged.blank_rows == 2
        staged.close()
        assert set(_catalog(con)) == before
    finally:
        source.close()
        con.close()


def _catalog(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    ]


def test_the_loader_uses_only_the_staging_interface() -> None:
    """The loader names no table a reader creates; the reader names none the loader creates."""
    package = Path(readers.__file__).parent
    loader_text = package.with_name("loader.py").read_text(encoding="utf-8")
    for reader_owned in ("stg_source", "stg_table", "reject_errors", "staged_", ".staging", "._"):
        assert reader_owned not in loader_text
    reader_text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    for loader_owned in ("stg_rejects", "line_map", "lined", "typed", "stg"):
        assert re.search(rf"\b{loader_owned}\b", reader_text) is None, loader_owned
