"""Words on Today's cards (a fresh-eyes tryout): the done button says what the inquiry page and the
state say (対応済み), a put-away card's More panel says what the card is, and the panel shows one
group of controls at a time so it fits a 390 px phone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.i18n import t

SNOOZED = {"inquiry_id": "QD", "done": False, "snoozed_until": date(2026, 11, 26)}


def _panel(row: dict) -> None:
    from datetime import date

    from views import work

    now = work.state()
    work.card_more(row["inquiry_id"], "k", date(2026, 11, 24), work._state_line(row, now))


@pytest.fixture
def panel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPSDASH_DB", str(tmp_path / "none.duckdb"))

    def run(row: dict, lang: str = "ja") -> AppTest:
        monkeypatch.setattr("views.common.lang", lambda: lang)
        return AppTest.from_function(_panel, args=(row,), default_timeout=60).run()

    return run


def test_the_done_mark_has_one_word_for_the_action_and_the_state() -> None:
    for lang in ("ja", "en"):
        assert t("work.card.done", lang) == t("work.done", lang)
        assert t("work.done", lang).lower() == t("work.state_done", lang).lower()
    assert t("work.card.done", "ja") == "対応済み"


def test_a_snoozed_card_s_more_panel_says_it_is_snoozed_and_shows_one_group(panel) -> None:
    at = panel(SNOOZED)
    assert not at.exception
    assert [c.value for c in at.caption] == ["2026/11/26（木）まで保留"]
    # a note first; the snooze date and the not-an-inquiry reason wait for their choice
    assert [a.key for a in at.text_area] == ["ntx_k"]
    assert not at.date_input
    assert not at.selectbox
    at.segmented_control(key="mpk_k").set_value("snooze").run()
    assert [d.key for d in at.date_input] == ["snd_k"]
    assert not at.text_area
    at.segmented_control(key="mpk_k").set_value("not_inquiry").run()
    assert [s.key for s in at.selectbox] == ["nir_k"]
    assert [b.key for b in at.button] == ["nin_k"]


def test_a_done_card_s_panel_says_done(panel) -> None:
    at = panel({"inquiry_id": "QD", "done": True, "snoozed_until": None}, "en")
    assert [c.value for c in at.caption] == ["Done"]


def test_a_card_on_its_list_needs_no_state_line(panel) -> None:
    at = panel({"inquiry_id": "QD", "done": False, "snoozed_until": None}, "en")
    assert not at.exception
    assert not at.caption
    assert at.segmented_control(key="mpk_k").options == ["Note", "Snooze", "Not an inquiry"]
