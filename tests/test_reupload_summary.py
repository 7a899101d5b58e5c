"""A re-upload of a quote log with one broken row leads with what happened: 18 rows were already
loaded, none new, 1 held back and why — on the Data page and in the CLI's `load` summary, in both
languages (never "0 of 19 rows loaded" alone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import load_files
from pipelines.__main__ import main
from pipelines.i18n import load_problems_text
from tests.conftest import (
    EVENT_COLUMNS,
    INQUIRY_COLUMNS,
    copy_folder,
    csv_text,
    dashboard,
    event,
    inquiry,
)

INQUIRIES = [inquiry(f"U{i:02d}") for i in range(1, 19)]
EVENTS = [event(f"U{i:02d}", "2026-11-03 10:00", "quote_sent") for i in range(1, 19)]
BROKEN = event("U01", "2026-11-31 10:00", "quote_sent")  # no 31 November
LEAD = {
    "ja": "読み取った19行のうち、18行は登録済みのため省略、新しい行はなし、1行は登録せずに保留。"
    "保留の理由: quotes.csv 20行目（",
    "en": "Of the 19 rows read: 18 were already loaded (skipped), no new rows, 1 row held back "
    "(quarantined). Held back: quotes.csv line 20 (",
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a database of the 18 inquiries and their quotes, and the quote log again with a
    broken row; loaded once per module (each test copies it: loaded_once)."""
    folder = tmp_path_factory.mktemp("loaded")
    db = folder / "db.duckdb"
    inquiries = folder / "inquiries.csv"
    inquiries.write_text(csv_text(INQUIRY_COLUMNS, INQUIRIES), "utf-8")
    quotes = folder / "quotes.csv"
    quotes.write_text(csv_text(EVENT_COLUMNS, EVENTS), "utf-8")
    load_files([inquiries, quotes], db)
    quotes.write_text(csv_text(EVENT_COLUMNS, [*EVENTS, BROKEN]), "utf-8")
    return folder


@pytest.fixture
def loaded_once(loaded: Path, tmp_path: Path) -> tuple[Path, Path]:
    """This test's copy of the loaded database and of the quote log with a broken row."""
    copy_folder(loaded, tmp_path)
    return tmp_path / "db.duckdb", tmp_path / "quotes.csv"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_data_page_says_18_already_loaded_and_1_held_back(
    loaded_once: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    db, quotes = loaded_once
    at = dashboard(db, monkeypatch, lang=lang, as_of="2026-11-20")
    at.switch_page("views/data.py").run()
    at.file_uploader(key="uploads").upload("quotes.csv", quotes.read_bytes(), "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any(w.startswith(LEAD[lang]) for w in warnings), warnings
    assert not any("0 of 19" in w or "19行中0行" in w for w in warnings)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_cli_load_summary_leads_with_what_happened(
    loaded_once: tuple[Path, Path], capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    db, quotes = loaded_once
    assert main(["load", str(quotes), "--lang", lang, "--db", str(db)]) == 0
    assert LEAD[lang] in capsys.readouterr().out


@pytest.mark.slow
def test_rows_of_the_same_inquiry_id_are_counted_as_replaced_not_new(
    tmp_path: Path, loaded_once: tuple[Path, Path]
) -> None:
    """An inquiry log uploaded again: its rows replace the stored ones (not 'new')."""
    db, _ = loaded_once
    again = tmp_path / "again.csv"
    bad = inquiry("U19", received_at="2026/02/30 10:00")
    again.write_text(csv_text(INQUIRY_COLUMNS, [*INQUIRIES[:2], bad]), "utf-8")
    result = load_files([again], db)
    assert load_problems_text(result, "en").startswith(
        "Of the 3 rows read: 2 replaced the stored rows with their inquiry IDs, no new rows, "
        "1 row held back (quarantined)."
    )
