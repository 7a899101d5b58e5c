"""The SQL against an independent pure-Python reading of the SPEC (tests/spec_model.py).

These load generated exports and the bundled sample through the loader on purpose: the model reads the
rows as stored, so loader and rules are checked together.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

import pipelines
from pipelines.demo import generate, write_exports
from pipelines.loader import load_files
from pipelines.settings import load_settings
from tests import spec_model

pytestmark = pytest.mark.slow


def _raw_rows(db: Path) -> tuple[list[dict], list[dict]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        inq = (
            con.execute("SELECT * FROM inquiries")
            .fetchdf()
            .replace({float("nan"): None})
            .to_dict("records")
        )
        ev = (
            con.execute("SELECT inquiry_id, event_at, event, staff_minutes, amount_jpy FROM events")
            .fetchdf()
            .to_dict("records")
        )
    finally:
        con.close()
    for row in inq:
        row["received_at"] = row["received_at"].to_pydatetime()
        row["requested_for"] = (
            None
            if row["requested_for"] is None or row["requested_for"] != row["requested_for"]
            else row["requested_for"].to_pydatetime()
        )
        for k in ("customer_name", "customer_address", "target_phone", "message"):
            if row[k] != row[k]:
                row[k] = None
    for row in ev:
        row["event_at"] = row["event_at"].to_pydatetime()
        amount = row["amount_jpy"]
        row["amount_jpy"] = None if amount is None or amount != amount else int(amount)
    return inq, ev


@pytest.mark.parametrize("seed", range(6))
def test_sql_report_equals_simple_python_model(tmp_path: Path, seed: int) -> None:
    """The SQL report equals an independent pure-Python reading of the SPEC on generated data."""
    data = generate(600, seed=seed, as_of=date(2026, 11, 24))
    db = tmp_path / "d.duckdb"
    load_files(write_exports(data, tmp_path / "exports", style="canonical"), db)
    inquiries, events = _raw_rows(db)
    settings = load_settings()
    con = pipelines.connect(db)
    try:
        for as_of, start, end in [
            (date(2026, 11, 24), None, None),
            (date(2026, 10, 31), date(2026, 9, 1), None),
            (date(2026, 11, 24), date(2026, 11, 1), date(2026, 11, 15)),
            (date(2026, 8, 3), None, None),
        ]:
            ours = pipelines.report(con, as_of, start, end)
            ours.pop("quarantined_rows")
            assert ours == spec_model.report(inquiries, events, as_of, settings, start, end)
    finally:
        con.close()


def test_sample_report_matches_model(sample_db: Path) -> None:
    """On the bundled sample (mixed encodings, styles and bad rows) the report equals the model."""
    inquiries, events = _raw_rows(sample_db)
    con = pipelines.connect(sample_db)
    ours = pipelines.report(con, "2026-11-25")
    con.close()
    assert ours.pop("quarantined_rows") == 5
    assert ours == spec_model.report(inquiries, events, date(2026, 11, 25), load_settings())
    assert ours["eligible_today"] + ours["sign_by_today"] > 0
