"""Hypothesis properties: the date parser round-trips every style; random input never crashes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.definitions import prepare
from pipelines.loader import PartResult, load_files
from pipelines.readers import FileRefused
from tests.conftest import INQUIRY_COLUMNS, examples
from tests.reading import worded_rows

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("properties")

FULL_WIDTH = str.maketrans("0123456789/:-", "０１２３４５６７８９／：－")
WEEKDAYS = "月火水木金土日"


def _era(d: datetime) -> tuple[str, str, int]:
    if d >= datetime(2019, 5, 1):
        return "令和", "R", d.year - 2018
    return "平成", "H", d.year - 1988


def render(d: datetime, style: int) -> tuple[str, datetime]:
    """A Japan-time instant written in one of the supported styles, and what it should parse to."""
    kanji, letter, era_year = _era(d)
    era_text = "元" if era_year == 1 else str(era_year)
    day = d.replace(hour=0, minute=0, second=0)
    to_minute = d.replace(second=0)
    styles = [
        (d.strftime("%Y-%m-%d %H:%M:%S"), d),
        (d.strftime("%Y-%m-%dT%H:%M:%S"), d),
        (d.strftime("%Y-%m-%dT%H:%M"), to_minute),
        (d.strftime("%Y-%m-%d"), day),
        (f"{d.year}/{d.month}/{d.day} {d.hour}:{d.minute:02d}", to_minute),
        (d.strftime("%Y/%m/%d %H:%M:%S"), d),
        (f"{d.year}/{d.month}/{d.day}", day),
        (f"{d.year}年{d.month}月{d.day}日 {d.hour}時{d.minute:02d}分", to_minute),
        (f"{d.year}年{d.month}月{d.day}日({WEEKDAYS[d.weekday()]})", day),
        (f"{kanji}{era_text}年{d.month}月{d.day}日", day),
        (f"{letter}{era_year}.{d.month}.{d.day}", day),
        (f"{letter}{era_year}/{d.month}/{d.day}", day),
        (d.strftime("%Y/%m/%d").translate(FULL_WIDTH), day),
        ((d - timedelta(hours=9)).replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), d),
        ((d - timedelta(hours=14)).strftime("%Y-%m-%dT%H:%M:%S-05:00"), d),
        (d.strftime("%Y-%m-%dT%H:%M:%S+09:00"), d),
    ]
    return styles[style % len(styles)]


def load_or_refuse(path: Path, db: Path) -> PartResult | None:
    """Load one file: either it is refused with a reason (None) or every row is accounted for."""
    try:
        result = load_files([path], db)
    except FileRefused as exc:
        assert exc.problem
        return None
    part = result.parts[0]
    assert part.rows_read == part.rows_loaded + part.rows_duplicate + part.rows_quarantined
    return part


@pytest.fixture(scope="module")
def parser() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    prepare(con, sql_files=("parse.sql",))
    yield con
    con.close()


@pytest.mark.slow
@settings(
    max_examples=examples(400),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    instant=st.datetimes(min_value=datetime(1990, 1, 2), max_value=datetime(2099, 12, 30)).map(
        lambda d: d.replace(microsecond=0)
    ),
    style=st.integers(min_value=0, max_value=15),
)
def test_every_style_parses_back_to_the_same_instant(
    parser: duckdb.DuckDBPyConnection, instant: datetime, style: int
) -> None:
    """A date-time rendered in any supported style parses back to the same Japan-time instant.

    The instants start in 1990 (the accepted range), so every era style (Heisei, Reiwa) applies."""
    text, expected = render(instant, style)
    assert parser.execute("SELECT parse_ts(?)", [text]).fetchone()[0] == expected, text


@pytest.mark.slow
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(min_size=0, max_size=400))
def test_random_bytes_never_crash(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    """Random bytes are either refused with a reason or loaded row by row; never a crash."""
    tmp = tmp_path_factory.mktemp("bytes")
    path = tmp / "random.csv"
    path.write_bytes(b"inquiry_id,received_at,staff_minutes\n" + data)
    load_or_refuse(path, tmp / "t.duckdb")


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2026-11-24", "R8.11.24", "-3", "1,200", "", " ", '"', "\n"]),
)


@pytest.mark.slow
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=st.lists(st.lists(cell, min_size=9, max_size=13), min_size=1, max_size=12))
def test_random_rows_always_end_loaded_or_quarantined_with_a_reason(
    tmp_path_factory: pytest.TempPathFactory, table: list[list[str]]
) -> None:
    """Every random row is loaded, skipped as a duplicate, or quarantined with a reason."""
    tmp = tmp_path_factory.mktemp("rows")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INQUIRY_COLUMNS)
    writer.writerows(table)
    path = tmp / "rows.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    part = load_or_refuse(path, tmp / "t.duckdb")
    if part is None:
        return
    reasons = worded_rows(tmp / "t.duckdb", "SELECT reason FROM quarantine")
    assert len(reasons) == part.rows_quarantined
    assert all(r[0] for r in reasons)


def test_csv_dialect_never_guessed(tmp_path: Path) -> None:
    """The separator is the one under which the header is recognisable, never a guess: a header that
    no separator (comma, tab, semicolon) makes recognisable is refused."""
    path = tmp_path / "semi.csv"
    path.write_text("inquiry_id|received_at\nQ1|2026-11-24\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="no recognisable header"):
        load_files([path], tmp_path / "t.duckdb")
