"""The Inquiries page: the status chips show what a search applies, every row reads on a phone,
the reasons get room, and going back returns to where the inquiry was opened from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.vocabulary import OPEN_STATUSES
from tests.conftest import dashboard

AS_OF = "2026-11-20"


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, **params: str):
    at = dashboard(db, monkeypatch, as_of=AS_OF, **params, page="views/inquiries.py")
    assert not at.exception
    return at


@pytest.mark.slow
def test_a_search_clears_the_default_chips_and_chosen_chips_filter_it(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing a search empties the 'open work' chips (all statuses are searched, and the chips say
    so); a status chosen while searching filters the search; ending the search puts them back."""
    at = _page(sample_db, monkeypatch)
    assert set(at.multiselect(key="status_filter").value) == set(OPEN_STATUSES)
    at.text_input(key="search").set_value("田中").run()
    assert at.multiselect(key="status_filter").value == []
    everything = set(at.dataframe[0].value["Status"])
    assert everything - {"Open", "Incomplete"}  # closed inquiries are found too
    assert any("every status" in c.value for c in at.caption)
    at.multiselect(key="status_filter").set_value(["silent"]).run()
    assert set(at.dataframe[0].value["Status"]) == {"Silent after quote"}
    assert any("only these statuses: Silent after quote" in c.value for c in at.caption)
    at.text_input(key="search").set_value("").run()
    assert at.multiselect(key="status_filter").value == ["silent"]  # a choice is kept
    at.multiselect(key="status_filter").set_value([]).run()
    at.text_input(key="search").set_value("田中").run()
    at.text_input(key="search").set_value("").run()
    assert at.multiselect(key="status_filter").value == []  # cleared by the person: stays


@pytest.mark.slow
def test_ending_a_search_restores_open_work(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chips cleared by a search come back when the search box is emptied."""
    at = _page(sample_db, monkeypatch)
    at.text_input(key="search").set_value("田中").run()
    at.text_input(key="search").set_value("").run()
    assert set(at.multiselect(key="status_filter").value) == set(OPEN_STATUSES)
    assert set(at.dataframe[0].value["Status"]) <= {"Open", "Incomplete"}


def test_reasons_come_right_after_the_status_and_get_room(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reasons are the fourth column (not cut off at the right edge) and the widest."""
    at = _page(sample_db, monkeypatch, lang="ja")
    table = at.dataframe[0]
    assert list(table.value.columns)[:4] == ["開く", "お客様", "ステータス", "理由"]
    config = json.loads(table.proto.columns)
    assert config["理由"]["width"] == 420


def test_every_row_of_the_page_is_a_card_for_a_phone(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same 50 rows as cards (shown below 640 px instead of the grid), each linking to its
    inquiry and saying its status and reasons; customer text is escaped."""
    at = _page(sample_db, monkeypatch, lang="ja")
    rows = at.dataframe[0].value
    cards = next(h.proto.body for h in at.get("html") if 'class="iq-cards"' in h.proto.body)
    assert cards.count('class="iq-card"') == len(rows) == 50
    first = rows.iloc[0]
    assert f"inquiry={first['問い合わせID']}" in cards
    assert first["理由"] in cards
    style = "\n".join(h.proto.body for h in at.get("html"))
    assert "@media (max-width: 640px)" in style
    assert ".st-key-inquiry_table" in style


@pytest.mark.slow
def test_back_from_an_inquiry_opened_on_today_returns_to_today(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today's cards link with from=today; the back button then says Today and goes there."""
    at = dashboard(sample_db, monkeypatch, as_of=AS_OF, lang="ja", page="views/today.py")
    html = "\n".join(h.proto.body for h in at.get("html"))
    assert "&amp;from=today" in html or "&from=today" in html
    at = _page(sample_db, monkeypatch, lang="ja", inquiry="Q0004912", **{"from": "today"})
    assert at.button(key="back").label == "← 本日の業務に戻る"
    at.button(key="back").click().run()
    assert not at.exception
    assert at.title[0].value == "2026/11/20（金）の業務リスト"  # Today, for the same day
    assert at.query_params["lang"] in ("ja", ["ja"])
    assert "from" not in at.query_params
    at = _page(sample_db, monkeypatch, lang="ja", inquiry="Q0004912")
    assert at.button(key="back").label == "← 一覧に戻る"
    at.button(key="back").click().run()
    assert at.title[0].value == "問い合わせ一覧"


@pytest.mark.slow
def test_the_page_has_every_fact_of_its_day_built_for_a_search_over_every_status(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first screen reads open work only; once drawn it has the day's facts of every inquiry
    built in the background (views.common.warm_facts), so a search across every status, likely
    next, reads them kept instead of evaluating the rules (0.6 s at a million inquiries). The
    search's answer is the same either way."""
    import time

    import pipelines
    from pipelines import api, queries
    from views import common

    api.FACTS.clear()
    monkeypatch.setattr(common, "_WARMED", {})  # pages of earlier tests warmed this day already
    at = _page(sample_db, monkeypatch)
    days = []
    for _ in range(100):  # the build runs beside the page: up to 10 s on a busy machine
        days = [k[1] for k in api.FACTS.stored_keys() if len(k) == 5 and k[-1] is None]
        if days:
            break
        time.sleep(0.1)
    assert [str(d) for d in days] == [AS_OF]
    at.text_input(key="search").input("田中").run()
    assert not at.exception
    shown = [c.value for c in at.caption if "match" in c.value]
    con = pipelines.connect(sample_db)
    try:
        api.FACTS.clear()  # the same search with nothing kept: through the view
        fresh = queries.search_inquiries(con, AS_OF, "田中")
    finally:
        con.close()
    assert any(f"{fresh.total:,}" in text for text in shown), shown
