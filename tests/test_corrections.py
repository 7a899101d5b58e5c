"""Corrected exports (SPEC "Bad input"): a later quote log with an event of the same inquiry, time and
kind as a stored one but another amount or staff minutes is reported as a possible correction; with
--replace-events a file's events replace every stored event of the inquiries it names."""

from __future__ import annotations

from pathlib import Path

import pytest

import pipelines
from pipelines.__main__ import main
from pipelines.i18n import load_part_text
from pipelines.loader import load_files
from tests.conftest import (
    AS_OF,
    EVENT_COLUMNS,
    INQUIRY_COLUMNS,
    copy_folder,
    csv_text,
    event,
    inquiry,
    write,
)

pytestmark = pytest.mark.slow

FIRST = [
    event("C1", "2026-11-03 10:00", "quote_sent", minutes=10, amount_jpy=8000),
    event("C1", "2026-11-04 10:00", "customer_reply", minutes=5),
    event("C2", "2026-11-03 11:00", "quote_sent", minutes=10, amount_jpy=6000),
    event("C3", "2026-11-03 12:00", "quote_sent", minutes=10, amount_jpy=7000),
]
# the office re-exports after correcting C1's amount and C2's minutes; C3 unchanged; C4 new
SECOND = [
    event("C1", "2026-11-03 10:00", "quote_sent", minutes=10, amount_jpy=9000),
    event("C2", "2026-11-03 11:00", "quote_sent", minutes=25, amount_jpy=6000),
    event("C3", "2026-11-03 12:00", "quote_sent", minutes=10, amount_jpy=7000),
    event("C4", "2026-11-05 12:00", "quote_sent", minutes=10, amount_jpy=5000),
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the first export loaded (made once; each test gets a copy through db)."""
    folder = tmp_path_factory.mktemp("corrections")
    inquiries = [inquiry(i, "2026-11-02 10:00") for i in ("C1", "C2", "C3", "C4")]
    load_files(
        [
            write(folder / "inq.csv", csv_text(INQUIRY_COLUMNS, inquiries)),
            write(folder / "quotes1.csv", csv_text(EVENT_COLUMNS, FIRST)),
        ],
        folder / "ops.duckdb",
    )
    return folder


@pytest.fixture
def db(loaded: Path, tmp_path: Path) -> Path:
    return copy_folder(loaded, tmp_path) / "ops.duckdb"


def stored(db: Path) -> list[tuple]:
    con = pipelines.connect(db)
    try:
        return con.execute(
            "SELECT inquiry_id, strftime(event_at, '%Y-%m-%d %H:%M'), event, amount_jpy, "
            "staff_minutes FROM events ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


def test_a_corrected_export_is_reported_as_possible_corrections(tmp_path: Path, db: Path) -> None:
    second = write(tmp_path / "quotes2.csv", csv_text(EVENT_COLUMNS, SECOND))
    result = load_files([second], db)
    [part] = result.parts
    assert part.possible_corrections == 2
    assert part.corrected_inquiries == ("C1", "C2")
    assert "2 possible corrections" in part.summary()
    assert "C1, C2" in part.summary()
    assert "--replace-events" in part.summary()
    ja = load_part_text(part, "ja")
    assert "修正の可能性がある行が2件" in ja
    assert "C1, C2" in ja


def test_replace_events_makes_the_file_replace_its_inquiries_events(
    tmp_path: Path, db: Path
) -> None:
    second = write(tmp_path / "quotes2.csv", csv_text(EVENT_COLUMNS, SECOND))
    load_files([second], db)  # first without: both amounts stored, reported
    assert ("C1", "2026-11-03 10:00", "quote_sent", 8000, 10) in stored(db)
    result = load_files([second], db, replace_events=True)  # the same file again, replacing
    [part] = result.parts
    assert not part.already_loaded
    assert part.events_replaced > 0
    assert stored(db) == [
        ("C1", "2026-11-03 10:00", "quote_sent", 9000, 10),
        ("C2", "2026-11-03 11:00", "quote_sent", 6000, 25),
        ("C3", "2026-11-03 12:00", "quote_sent", 7000, 10),
        ("C4", "2026-11-05 12:00", "quote_sent", 5000, 10),
    ]  # C1's customer_reply is gone too: the file names C1, so its events are C1's events now
    con = pipelines.connect(db)
    try:
        report = pipelines.report(con, AS_OF)
    finally:
        con.close()
    assert report["quoted"] == 4
    assert report["inquiries"] == 4


def test_replace_events_leaves_other_inquiries_alone(tmp_path: Path, db: Path) -> None:
    only_c2 = write(tmp_path / "c2.csv", csv_text(EVENT_COLUMNS, [SECOND[1]]))
    load_files([only_c2], db, replace_events=True)
    rows = stored(db)
    assert ("C2", "2026-11-03 11:00", "quote_sent", 6000, 25) in rows
    assert ("C2", "2026-11-03 11:00", "quote_sent", 6000, 10) not in rows
    assert [r for r in rows if r[0] == "C1"] == [
        ("C1", "2026-11-03 10:00", "quote_sent", 8000, 10),
        ("C1", "2026-11-04 10:00", "customer_reply", None, 5),
    ]


def test_an_identical_or_new_event_is_no_correction(tmp_path: Path, db: Path) -> None:
    same = write(tmp_path / "same.csv", csv_text(EVENT_COLUMNS, [FIRST[0], SECOND[3]]))
    [part] = load_files([same], db).parts
    assert part.possible_corrections == 0
    assert part.rows_duplicate == 1
    other_note = event("C3", "2026-11-03 12:00", "quote_sent", minutes=10, amount_jpy=7000)
    other_note["note"] = "電話で確認"
    noted = write(tmp_path / "noted.csv", csv_text(EVENT_COLUMNS, [other_note]))
    [part] = load_files([noted], db).parts
    assert part.possible_corrections == 0  # only amount and minutes make a correction


def test_the_cli_reports_and_replaces(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second = write(tmp_path / "quotes2.csv", csv_text(EVENT_COLUMNS, SECOND))
    assert main(["load", str(second), "--lang", "en", "--db", str(db)]) == 0
    assert "2 possible corrections" in capsys.readouterr().out
    assert main(["load", str(second), "--lang", "en", "--db", str(db), "--replace-events"]) == 0
    out = capsys.readouterr().out
    assert "replaced by this file's" in out
    assert ("C1", "2026-11-03 10:00", "quote_sent", 8000, 10) not in stored(db)


def test_the_data_page_option_replaces_events(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import dashboard

    at = dashboard(db, monkeypatch, as_of=AS_OF)
    at.switch_page("views/data.py").run()
    second = csv_text(EVENT_COLUMNS, SECOND).encode()
    at.file_uploader(key="uploads").upload("quotes2.csv", second, "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert any("2 possible corrections" in m.value for m in at.text)
    at.checkbox(key="replace_events").check().run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert ("C1", "2026-11-03 10:00", "quote_sent", 8000, 10) not in stored(db)
    assert ("C1", "2026-11-03 10:00", "quote_sent", 9000, 10) in stored(db)
