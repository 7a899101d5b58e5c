"""The dashboard through Streamlit's AppTest: every page, both languages, URL state, uploads, empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import pipelines
from tests.conftest import INQUIRY_COLUMNS, csv_text, inquiry

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-24"


def app(db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("OPSDASH_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for key, value in {"as_of": AS_OF, **params}.items():
        at.query_params[key] = value
    return at.run()


def test_overview_metrics_equal_the_report(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Overview's headline values for 'All time' are the report's numbers."""
    at = app(sample_db, monkeypatch)
    assert not at.exception
    at.segmented_control(key="period").set_value("all").run()
    con = pipelines.connect(sample_db)
    report = pipelines.report(con, AS_OF)
    headline = pipelines.headline(con, AS_OF)
    con.close()
    values = {m.label: m.value for m in at.metric}
    assert values["Conversion rate"] == f"{report['conversion_rate'] * 100:.1f}%"
    assert values["Silent after quote"] == f"{report['silent_after_quote_rate'] * 100:.1f}%"
    assert values["Urgent requests"] == f"{report['urgent_requests']:,}"
    assert (
        values["Staff time per lost inquiry"]
        == f"{report['staff_minutes_per_nonconverting_inquiry']:.1f} min"
    )
    assert (
        values["Cost per lost inquiry"]
        == f"¥{headline['staff_cost_jpy_per_nonconverting_inquiry']:,.0f}"
    )
    assert values["Quotes on time"] == f"{report['quote_sla_rate'] * 100:.1f}%"


def test_japanese_labels(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """?lang=ja shows the Japanese labels."""
    at = app(sample_db, monkeypatch, lang="ja")
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["成約率", "見積後の無連絡率"]
    assert at.title[0].value == "経営の状況"


def test_language_switch_in_sidebar(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing 日本語 in the sidebar switches the page and the URL."""
    at = app(sample_db, monkeypatch)
    at.sidebar.selectbox(key="lang_select").set_value("ja").run()
    assert at.query_params["lang"] in ("ja", ["ja"])
    assert at.title[0].value == "経営の状況"


def test_today_lists_match_staff_lists(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Today page shows the same three lists as the API, for the as_of day in the URL."""
    at = app(sample_db, monkeypatch, as_of="2026-11-25")
    at.switch_page("views/today.py").run()
    assert not at.exception
    con = pipelines.connect(sample_db)
    lists = pipelines.staff_lists(con, "2026-11-25")
    con.close()
    subheaders = [s.value for s in at.subheader]
    assert subheaders == [
        f"Calls to make today ({len(lists['eligible'])})",
        f"Needs attention ({len(lists['attention'])})",
        f"Last day to sign ({len(lists['sign_by'])})",
    ]
    shown = [frame.value for frame in at.dataframe]  # empty lists show a note instead of a table
    expected = [lists[name] for name in ("eligible", "attention", "sign_by") if len(lists[name])]
    assert [list(f["Inquiry"]) for f in shown] == [list(f["inquiry_id"]) for f in expected]
    assert len(lists["eligible"]) > 0


def test_inquiries_page_explains_one_inquiry(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filtering by status and choosing an inquiry shows its verdicts and status."""
    at = app(sample_db, monkeypatch)
    at.switch_page("views/inquiries.py").run()
    at.multiselect(key="status_filter").set_value(["silent"]).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) > 0
    assert set(table["Status"]) == {"Silent after quote"}
    assert any("Status: Silent after quote" in m.value for m in at.markdown)


def test_data_page_lists_quarantine(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Data page shows the load history and the 5 quarantined sample rows."""
    at = app(sample_db, monkeypatch)
    at.switch_page("views/data.py").run()
    assert not at.exception
    loads, quarantine = at.dataframe[0].value, at.dataframe[1].value
    assert len(loads) == 5
    assert len(quarantine) == 5


def test_empty_database_first_run_and_sample_button(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty database shows the first-run screen; its button loads the bundled sample."""
    db = tmp_path / "empty.duckdb"
    at = app(db, monkeypatch)
    assert not at.exception
    assert at.header[0].value == "No data yet"
    at.button(key="load_sample").click().run()
    assert not at.exception
    assert len(at.metric) == 8


def test_upload_flow_loads_and_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploading an export loads it; a bad file is refused with its name and nothing changes."""
    db = tmp_path / "up.duckdb"
    at = app(db, monkeypatch)
    at.switch_page("views/data.py").run()
    good = csv_text(INQUIRY_COLUMNS, [inquiry("U1"), inquiry("U2")]).encode()
    at.file_uploader(key="uploads").upload("new.csv", good, "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert not at.exception
    assert any("new.csv: inquiries" in m.value for m in at.markdown)
    con = pipelines.connect(db)
    assert con.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 2
    con.close()
    at.file_uploader(key="uploads").upload("bad.csv", b"hello,world\n1,2\n", "text/csv").run()
    at.button(key="load_uploads").click().run()
    assert "bad.csv" in at.error[0].value
    con = pipelines.connect(db)
    assert con.execute("SELECT count(*) FROM inquiries").fetchone()[0] == 2
    con.close()


def test_safe_csv_neutralises_formulas() -> None:
    """Downloaded CSV starts with a BOM and cells starting with = + - @ tab or CR are quoted."""
    import pandas as pd

    from views.common import safe_csv

    data = safe_csv(pd.DataFrame({"a": ["=1+1", "+81", "-x", "@cmd", "\tx", "ok", "山田"]}))
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1:] == ["'=1+1", "'+81", "'-x", "'@cmd", "'\tx", "ok", "山田"]


def test_every_string_has_both_languages() -> None:
    """Every UI string, status and reason exists in English and Japanese."""
    from pipelines.i18n import STRINGS

    assert all(set(v) == {"en", "ja"} and all(v.values()) for v in STRINGS.values())
    from pipelines.api import STATUSES
    from pipelines.columns import EVENT_KINDS

    named = [f"event.{k}" for k in EVENT_KINDS] + [f"status.{s}" for s in STATUSES]
    assert [key for key in named if key not in STRINGS] == []
