"""Today draws few cards, cheaply (issue 25, docs/today-cards.md): each list its first FIRST_CARDS,
"show more" adds MORE_CARDS at a time in either language, the months-old overdue quotes are drawn
only once their fold is opened, and every card drawn keeps its controls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import dashboard, inquiry
from tests.test_marks import load
from views.work import FIRST_CARDS, MORE_CARDS

pytestmark = pytest.mark.slow  # page runs (docs/testing.md)

AS_OF = "2026-11-24"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Quotes due: 18 overdue by days (received in November), 12 months-old (received in
    September, overdue by more than 30 days)."""
    recent = [
        inquiry(f"QN{n:02d}", f"2026-11-{2 + n % 9:02d} 10:00", requested_for="2026-12-20")
        for n in range(18)
    ]
    old = [
        inquiry(
            f"QS{n:02d}",
            f"2026-09-{1 + n:02d} 10:00",
            requested_for="2026-12-21",
            customer_name="佐藤花子",
        )
        for n in range(12)
    ]
    return load(tmp_path, recent + old, [], "today_cards")


def show_everything(at) -> None:
    """Open the old-overdue fold and tap every "show more" until each list is whole (for tests that
    look at every item's card)."""
    at.session_state["old_quote_due"] = True  # as the browser says when the fold is opened
    at.run()
    while more := [b for b in at.button if b.key and b.key.startswith("more_")]:
        more[0].click().run()


def _html(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def _ids(at) -> list[str]:
    """The inquiry IDs of the cards drawn, in page order."""
    return re.findall(r'class="wq-id"[^>]*>([^<]*) ›<', _html(at))


def _keys(at, prefix: str) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith(prefix)]


def test_first_cards_then_more_in_batches(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A list draws its first cards with their controls, says how many it shows, and each
    "show more" adds a batch until the list is whole (then the button goes)."""
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en", page="views/today.py")
    assert not at.exception
    assert "Quotes due (30)" in [s.value for s in at.subheader]
    shown = _ids(at)
    assert len(shown) == FIRST_CARDS
    assert all(i.startswith("QN") for i in shown)  # the folded old ones are not drawn
    # every card drawn has its controls: claim, done, more (a quote due is past its deadline: no
    # one-tap snooze, docs/work.md "No one-tap snooze past a deadline")
    for prefix in ("clm_quote_due_", "dne_quote_due_"):
        assert _keys(at, prefix) == [prefix + i for i in shown]
    assert not _keys(at, "snx_quote_due_")
    assert f"Showing the first {FIRST_CARDS} of 18 (most urgent first)." in [
        c.value for c in at.caption
    ]
    more = at.button(key="more_quote_due_cards")
    assert more.label == f"Show {MORE_CARDS} more"
    more.click().run()
    assert not at.exception
    assert _ids(at)[:FIRST_CARDS] == shown  # the same first cards, the next batch under them
    assert len(_ids(at)) == FIRST_CARDS + MORE_CARDS
    assert (
        at.button(key="more_quote_due_cards").label == f"Show {18 - FIRST_CARDS - MORE_CARDS} more"
    )  # what is left
    at.button(key="more_quote_due_cards").click().run()
    assert len(_ids(at)) == 18
    assert not _keys(at, "more_quote_due_cards")


def test_show_more_in_japanese(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="ja", page="views/today.py")
    assert not at.exception
    assert at.button(key="more_quote_due_cards").label == f"さらに{MORE_CARDS}件を表示"
    assert f"18件のうち先頭{FIRST_CARDS}件を表示しています（急ぎの順）。" in [
        c.value for c in at.caption
    ]


def test_the_old_overdue_fold_draws_its_cards_when_opened(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closed, the fold names how many it holds and draws none of them; opened, its first batch
    (with their controls and details) and its own "show more"."""
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en", page="views/today.py")
    assert [e.label for e in at.expander if "Overdue more than" in e.label] == [
        "Overdue more than 30 days (12)"
    ]
    assert not [i for i in _ids(at) if i.startswith("QS")]
    assert "佐藤花子" not in _html(at)
    at.session_state["old_quote_due"] = True  # as the browser says when the fold is opened
    at.run()
    assert not at.exception
    old = [i for i in _ids(at) if i.startswith("QS")]
    assert len(old) == FIRST_CARDS
    assert _keys(at, "dne_quote_due_QS") == [f"dne_quote_due_{i}" for i in old]
    assert _html(at).count('wq-name">佐藤花子<') == FIRST_CARDS  # their details were read
    at.button(key="more_quote_due_old").click().run()
    assert len([i for i in _ids(at) if i.startswith("QS")]) == 12


def test_the_done_fold_starts_with_a_batch_too(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven items marked done: the list counts them off, the "done and snoozed" fold (asked for)
    draws its first greyed cards, each with Undo, and shows the rest on request."""
    from datetime import date

    from pipelines.office import marks

    done = [f"QN{n:02d}" for n in range(FIRST_CARDS + 2)]
    for inquiry_id in done:
        marks.done(db, inquiry_id, "quote_due", date(2026, 11, 24), "bob", None)
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en", page="views/today.py")
    assert f"Quotes due ({30 - len(done)})" in [s.value for s in at.subheader]
    at.toggle(key="show_done").set_value(True).run()
    assert not at.exception
    assert any(f"Done and snoozed ({len(done)})" in e.label for e in at.expander)
    assert len(_keys(at, "und_quote_due_")) == FIRST_CARDS
    assert (
        _html(at).count('class="wq-card grey"') + _html(at).count('class="wq-card overdue grey"')
        == FIRST_CARDS
    )
    at.button(key="more_quote_due_done").click().run()
    assert sorted(_keys(at, "und_quote_due_")) == [f"und_quote_due_{i}" for i in done]
