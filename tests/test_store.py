"""The database file (SPEC "Databases across versions", missing paths): upgrades, refusals, readers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import pipelines
from pipelines import build, store
from pipelines.__main__ import main
from tests.conftest import INQUIRY_COLUMNS, csv_text, file_digest, inquiry, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V1_DB = FIXTURES / "v1_main.duckdb"  # made by main at 486ae25, before schema versions existed
V1_REPORT = FIXTURES / "v1_main_report_2026-11-20.json"  # its report --json then
TABLES = ("inquiries", "events", "quarantine", "loads")


@pytest.fixture
def v1_db(tmp_path: Path) -> Path:
    """A private copy of the database made by the earlier main."""
    return Path(shutil.copyfile(V1_DB, tmp_path / "old.duckdb"))


def row_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


@pytest.mark.slow
def test_an_old_database_is_upgraded_on_first_open_keeping_every_row(v1_db: Path) -> None:
    """Opening a version-1 database upgrades it in place to the latest schema; no row is lost."""
    before = row_counts(v1_db)
    assert before["inquiries"] == 300
    con = pipelines.connect(v1_db)
    try:
        assert store.schema_version(con) == store.latest_version() > 1
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()]
    finally:
        con.close()
    assert versions == list(range(1, store.latest_version() + 1))
    assert row_counts(v1_db) == before


@pytest.mark.slow
def test_an_upgraded_database_reports_what_it_reported_before(
    v1_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report of the upgraded database equals the old program's, but for what the SPEC changed.

    Changed on purpose: the sign-by list now looks ahead to the next business day (2026-11-20 is a
    Friday before a Monday holiday), and the report gained the new lists and the contracted amount.
    """
    old = json.loads(V1_REPORT.read_text())
    assert main(["report", "--json", "--as-of", "2026-11-20", "--db", str(v1_db)]) == 0
    new = json.loads(capsys.readouterr().out)
    changed = {k for k in old if old[k] != new[k]}
    assert changed == {"sign_by_today"}
    assert (old["sign_by_today"], new["sign_by_today"]) == (0, 1)
    assert set(new) - set(old) == {
        "quote_due_today",
        "quote_overdue",
        "follow_up_today",
        "upcoming_calls",
        "contracted_amount_jpy",
        "refusals_to_send",  # SPEC: the seventh list's size (issue 23)
    }


@pytest.mark.slow
def test_an_upgraded_database_takes_new_loads(v1_db: Path, tmp_path: Path) -> None:
    """A load into an old database upgrades it and adds the new rows (INSERT … BY NAME)."""
    export = write(tmp_path / "new.csv", csv_text(INQUIRY_COLUMNS, [inquiry("NEW-1")]))
    pipelines.load_files([export], v1_db)
    assert row_counts(v1_db)["inquiries"] == 301
    con = pipelines.connect(v1_db)
    assert store.schema_version(con) == store.latest_version()
    con.close()


@pytest.mark.slow
def test_a_database_from_a_newer_program_is_refused_untouched(
    v1_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schema version above this program's is refused with a clear message; the file is unchanged."""
    pipelines.connect(v1_db).close()  # upgrade to the latest first
    con = duckdb.connect(str(v1_db))
    con.execute(
        "INSERT INTO schema_migrations VALUES (?, 'from_the_future', now()::TIMESTAMP)",
        [store.latest_version() + 1],
    )
    con.close()
    digest = file_digest(v1_db)
    with pytest.raises(pipelines.DatabaseTooNew, match="newer version of this program"):
        pipelines.connect(v1_db)
    assert main(["report", "--json", "--lang", "en", "--db", str(v1_db)]) == 2
    assert "newer version" in capsys.readouterr().err
    assert file_digest(v1_db) == digest


def test_readers_never_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """connect() and every CLI command but load refuse a missing path (exit 2) and create nothing."""
    typo = tmp_path / "opz.duckdb"
    with pytest.raises(pipelines.DatabaseMissing, match=r"opz\.duckdb"):
        pipelines.connect(typo)
    for command in (["report", "--json"], ["today"], ["check"]):
        assert main([*command, "--lang", "en", "--db", str(typo)]) == 2
        assert "opz.duckdb: no database here" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_folder_or_another_file_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --db that is a folder or not a DuckDB file exits 2 with a message, no traceback."""
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    text = write(tmp_path / "notes.duckdb", "hello, not a database\n" * 100)
    for path in (folder, text):
        assert main(["report", "--json", "--db", str(path)]) == 2
        err = capsys.readouterr().err
        assert str(path.name) in err
        assert "Traceback" not in err
    assert text.read_text().startswith("hello")


def test_default_path_is_the_project_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without $OPSDASH_DB the database is data/ops.duckdb in the project, whatever the working folder."""
    monkeypatch.delenv("OPSDASH_DB", raising=False)
    monkeypatch.chdir(Path(__file__).parent)
    assert store.default_db_path() == Path(__file__).resolve().parent.parent / "data" / "ops.duckdb"


def test_migrations_are_numbered_without_gaps() -> None:
    """The schema steps are 0001, 0002, … in order."""
    versions = [v for v, _, _ in store.migrations()]
    assert versions == list(range(1, len(versions) + 1))


@pytest.mark.slow
def test_new_office_words_re_read_the_messages_on_the_next_open(tmp_path: Path) -> None:
    """Readings are stored with the words' fingerprint: new words in the settings re-read every
    message when the database is next opened (in the same all-or-nothing swap as a load)."""
    from pipelines.loader import load_files
    from pipelines.settings import load_settings

    db = tmp_path / "words.duckdb"
    rows = [inquiry("W1", requested_for="", message="なる早で電話してください"), inquiry("W2")]
    load_files([write(tmp_path / "inq.csv", csv_text(INQUIRY_COLUMNS, rows))], db)
    con = pipelines.connect(db)
    assert con.execute("SELECT count(*) FROM message_readings").fetchone()[0] == 2
    assert pipelines.report(con, "2026-11-20")["urgent_requests"] == 0
    con.close()

    office = write(tmp_path / "office.toml", '[message]\nextra_urgent_phrases = ["なる早"]\n')
    con = pipelines.connect(db, load_settings(office))
    try:
        assert pipelines.report(con, "2026-11-20")["urgent_requests"] == 1
        assert build.stale_readings(con, load_settings(office)) == 0
        assert build.stale_readings(con, load_settings()) == 2  # read with the office's words
    finally:
        con.close()


@pytest.mark.slow
def test_the_rules_base_follows_every_load(tmp_path: Path) -> None:
    """inquiry_base is rebuilt by each write that changes rows: a replaced inquiry and a new event
    show in the facts at once; an unchanged reload leaves the file alone."""
    from pipelines.loader import load_files
    from tests.conftest import EVENT_COLUMNS, event

    db = tmp_path / "base.duckdb"
    first = write(tmp_path / "a.csv", csv_text(INQUIRY_COLUMNS, [inquiry("B1"), inquiry("B2")]))
    load_files([first], db)
    facts = pipelines.inquiry_facts(pipelines.connect(db), "2026-11-20").set_index("inquiry_id")
    assert list(facts.loc["B1", "missing_fields"]) == []
    assert not facts.loc["B2", "quoted"]

    replaced = write(
        tmp_path / "b.csv", csv_text(INQUIRY_COLUMNS, [inquiry("B1", customer_name=" ")])
    )
    quote = write(
        tmp_path / "ev.csv",
        csv_text(EVENT_COLUMNS, [event("B2", "2026-11-03 10:00", "quote_sent")]),
    )
    load_files([replaced, quote], db)
    facts = pipelines.inquiry_facts(pipelines.connect(db), "2026-11-20").set_index("inquiry_id")
    assert list(facts.loc["B1", "missing_fields"]) == ["customer_name"]
    assert facts.loc["B2", "quoted"]
    assert facts.loc["B2", "status"] == "silent"

    before = file_digest(db)
    assert not load_files([replaced, quote], db).swapped
    assert file_digest(db) == before


@pytest.mark.slow
def test_a_write_defines_only_what_it_runs(tmp_path: Path) -> None:
    """A load's write connection has the parsing macros and the rules' base, not the ~20 macros
    that only read, nor the business-day calendar (defining them cost a one-row load ~30 ms, issue
    19); the stored inquiry_base is the one a reader's macros make."""
    from pipelines.loader import load_files

    seen: dict[str, object] = {}

    def after(con: duckdb.DuckDBPyConnection) -> None:
        seen["macros"] = {
            name
            for (name,) in con.execute(
                "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name IN "
                "('jp_fold', 'event_summary', 'is_blank', 'inquiry_base_rows', 'inquiry_facts')"
            ).fetchall()
        }
        seen["calendar"] = con.execute("SELECT count(*) FROM business_days").fetchone()[0]

    path = write(tmp_path / "inq.csv", csv_text(INQUIRY_COLUMNS, [inquiry("Q1")]))
    db = tmp_path / "t.duckdb"
    load_files([path], db, after=after)
    assert seen == {
        "macros": {"jp_fold", "event_summary", "is_blank", "inquiry_base_rows"},
        "calendar": 0,
    }
    con = build.connect(db)
    try:
        stored = con.execute("SELECT * FROM inquiry_base").fetchall()
        assert stored == con.execute("SELECT * FROM inquiry_base_rows()").fetchall()
        assert len(stored) == 1
    finally:
        con.close()
