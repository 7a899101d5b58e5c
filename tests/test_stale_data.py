"""Stale data: every page, and `today`'s text, name the last day the data covers when it ends
before the as-of day (the bundled sample ends on 2026-11-24, a Tuesday)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from pipelines.__main__ import main
from pipelines.periods import data_until, stale_text
from pipelines.queries import Freshness
from tests.conftest import dashboard

PAGES = [
    "views/overview.py",
    "views/whatif.py",
    "views/today.py",
    "views/inquiries.py",
    "views/data.py",
]


def test_the_last_day_is_the_later_of_inquiries_and_events() -> None:
    """An event after the latest inquiry extends the data; nothing loaded covers no day."""
    fresh = Freshness(
        datetime(2026, 1, 5, 9), datetime(2026, 11, 24, 22), datetime(2026, 11, 25, 1), None
    )
    assert data_until(fresh) == date(2026, 11, 25)
    assert data_until(Freshness(None, None, None, None)) is None
    assert stale_text(fresh, date(2026, 11, 25), "en") is None  # the data reaches the day
    assert stale_text(fresh, date(2026, 11, 1), "en") is None  # a past as-of day is not stale
    assert stale_text(fresh, date(2026, 12, 7), "ja") == (
        "データは2026/11/25（水）までです（基準日は2026/12/7（月））。最新のエクスポートを読み込んでください。"
    )


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_shows_the_banner_in_the_page_itself(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, lang: str
) -> None:
    """As of 12/7 over data ending 11/24, the page's own body (not the sidebar) names 11/24 first,
    once, and asks for a newer export."""
    at = dashboard(sample_db, monkeypatch, as_of="2026-12-07", lang=lang, page=page)
    assert not at.exception
    warnings = [w.value for w in at.main.warning]
    expected = "2026/11/24（火）" if lang == "ja" else "2026/11/24 (Tue)"
    assert expected in warnings[0]
    assert ("エクスポート" if lang == "ja" else "export") in warnings[0]
    # said once: the owner's pages say it in their own words about their figures
    assert sum(expected in w for w in warnings) == 1
    assert not any(expected in w.value for w in at.sidebar.warning)


@pytest.mark.slow
def test_no_banner_when_the_data_reaches_the_as_of_day(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the data's last day (or before) there is nothing to warn about."""
    at = dashboard(sample_db, monkeypatch, as_of="2026-11-24", lang="ja", page="views/today.py")
    assert not at.exception
    assert not any("最新のエクスポート" in w.value for w in at.warning)


@pytest.mark.slow
def test_today_text_starts_with_the_notice(
    sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`today` prints the notice as its first line; its JSON stays pure JSON."""
    assert main(["today", "--as-of", "2026-12-07", "--lang", "ja", "--db", str(sample_db)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("データは2026/11/24（火）までです")
    assert main(["today", "--as-of", "2026-11-24", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2026-11-24"
    assert main(["today", "--json", "--as-of", "2026-12-07", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out.lstrip().startswith("{")
