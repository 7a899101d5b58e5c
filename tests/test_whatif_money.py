"""What-if says plainly what changed rules do to contracts and money: on the sample, one day less
notice moves 30 inquiries' status but adds no contract and no yen, and the page says so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pipelines
from pipelines import charts
from tests.conftest import dashboard

DAY = "2026-11-20"


@pytest.mark.slow
def test_no_extra_contracts_or_revenue_is_said_in_both_languages(sample_db: Path) -> None:
    """Contract count and amount equal under both rules: the sentence names them, no 'extra'."""
    con = pipelines.connect(sample_db)
    try:
        figures, moved = pipelines.what_if(con, {"min_lead_days": 2}, DAY)
        report = pipelines.report(con, DAY)
    finally:
        con.close()
    assert len(moved) > 0
    assert "contracted" in set(moved["status_changed"])  # a move that looks like a gain
    amount = charts.value_text("yen", report["contracted_amount_jpy"], "en")
    assert charts.whatif_money_text(figures, "en") == (
        f"No extra contracts and no extra revenue: {report['converted']:,} contracts signed and "
        f"{amount} contracted under both rules. Contracts are facts of the log; the rules only "
        "change how the other inquiries are judged (and whether a contract counts as against the "
        "rules)."
    )
    ja = charts.whatif_money_text(figures, "ja")
    assert ja.startswith("契約の件数も金額も増えません：どちらのルールでも契約")
    assert charts.value_text("yen", report["contracted_amount_jpy"], "ja") in ja


def test_a_change_in_contracts_is_said_with_both_figures() -> None:
    """When the figures differ, both sides are named (a guard for a future rule that moves them)."""
    figures = pd.DataFrame(
        {
            "metric": ["converted", "contracted_amount_jpy"],
            "current": [10, 100000],
            "changed": [12, 130000],
        }
    )
    assert charts.whatif_money_text(figures, "en") == (
        "Contracts: 10 under today's rules, 12 under the changed ones; contracted amount "
        "¥100,000 → ¥130,000."
    )
    assert charts.whatif_money_text(figures, "ja") == (
        "契約: 現在のルールで10件、変更後は12件。契約金額 100,000円 → 130,000円。"
    )


@pytest.mark.slow
def test_the_what_if_page_says_it(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page shows the sentence under the figures (Japanese)."""
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="ja")
    at.switch_page("views/whatif.py").run()
    assert not at.exception
    assert any(i.value.startswith("契約の件数も金額も増えません") for i in at.info)
