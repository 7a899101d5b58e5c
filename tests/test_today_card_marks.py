"""Today's card marks do what a staff member expects (a tester's Friday, as of 2026-11-20): a put-away
card's Undo takes back what put it away and says which (never a note); no one-tap snooze hides an item
past its deadline (More's snooze warns instead); a mark every card of an inquiry shows reaches all
its cards on the page at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.office import marks
from tests.conftest import dashboard, event, inquiry
from tests.test_marks import load

AS_OF = "2026-11-20"  # a Friday; the next business day is Tuesday 11-24 (Monday 11-23 a holiday)
DAY = date(2026, 11, 20)

INQUIRIES = [
    inquiry("TWO", "2026-11-10 10:00", requested_for="2026-11-23 10:00"),  # sign-by A + quote due
    inquiry("SAT", "2026-11-17 10:00", requested_for="2026-11-24 10:00"),  # sign-by on Saturday
    inquiry("UPC", "2026-11-02 10:00", requested_for="2026-12-01 10:00"),  # a call after N
    inquiry("UPS", "2026-11-02 10:00", requested_for="2026-11-21 10:00"),  # a call on Saturday
]
EVENTS = [
    event("SAT", "2026-11-18 10:00", "quote_sent", amount_jpy=20000, staff="鈴木"),
    event("UPC", "2026-11-03 15:00", "quote_sent", amount_jpy=40000, staff="佐藤"),
    event("UPC", "2026-11-05 10:00", "contract_signed"),
    event("UPS", "2026-11-03 15:00", "quote_sent", amount_jpy=40000, staff="佐藤"),
    event("UPS", "2026-11-05 10:00", "contract_signed"),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return load(tmp_path, INQUIRIES, EVENTS, "card_marks")


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def _keys(at: AppTest, prefix: str) -> set[str]:
    return {b.key for b in at.button if b.key and b.key.startswith(prefix)}


def _cards(at: AppTest, inquiry_id: str) -> list[str]:
    return [
        e.proto.body
        for e in at.get("html")
        if 'class="wq-card' in e.proto.body and f">{inquiry_id} ›<" in e.proto.body
    ]


def test_the_card_s_undo_takes_back_what_put_it_away_never_a_note(db: Path) -> None:
    """marks.away_mark: the newest of this list's done mark, the snooze and not-an-inquiry."""
    marks.done(db, "TWO", "sign_by", DAY, "aki", None)
    marks.note(db, "TWO", "called", "aki")
    now = marks.state(db)
    assert marks.away_mark(now, "TWO", "sign_by", True, False).kind == "done"
    assert marks.away_mark(now, "TWO", "quote_due", False, False) is None  # another list's done
    marks.snooze(db, "TWO", date(2026, 11, 26), "ben")
    now = marks.state(db)
    assert marks.away_mark(now, "TWO", "sign_by", True, True).kind == "snooze"  # the newest
    assert marks.away_mark(now, "TWO", "sign_by", True, False).kind == "done"
    # undo by kind and list: the sign-by done goes, the note and the snooze stay
    marks.done(db, "TWO", "quote_due", DAY, "aki", None)
    taken = marks.undo(db, "TWO", "aki", kind="done", list_name="sign_by")
    now = marks.state(db)
    assert (taken.list, taken.text) == ("sign_by", "done")
    assert ("TWO", "sign_by") not in now.done
    assert ("TWO", "quote_due") in now.done
    assert [n.text for n in now.notes["TWO"]] == ["called"]
    assert "TWO" in now.snoozed


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "label"), [("en", "Undo snooze"), ("ja", "保留を取り消す")])
def test_undo_after_snooze_then_note_takes_back_the_snooze(
    db: Path, monkeypatch: pytest.MonkeyPatch, lang: str, label: str
) -> None:
    """The tester's case: snooze, then a note; the card's Undo says "Undo snooze" and ends the
    snooze, the note stays (it used to take back the newest mark: the note)."""
    marks.snooze(db, "UPC", date(2026, 11, 26), "os:someone")
    marks.note(db, "UPC", "the customer asked us to wait", "os:someone")
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang=lang, page="views/today.py")
    at.toggle(key="show_done").set_value(True).run()
    undo = _button(at, "und_upcoming_UPC")
    assert undo.label == label
    assert "2026/11/26" in undo.help
    undo.click().run()
    assert not at.exception
    now = marks.state(db)
    assert "UPC" not in now.snoozed
    assert [n.text for n in now.notes["UPC"]] == ["the customer asked us to wait"]


@pytest.mark.slow
def test_undo_done_takes_back_this_list_s_done_only(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An inquiry done on two lists, then a note: the Quotes due card's "Undo done" takes back the
    Quotes due done; the Sign-by done and the note stay."""
    marks.done(db, "TWO", "quote_due", DAY, "os:someone", None)
    marks.done(db, "TWO", "sign_by", DAY, "os:someone", None)
    marks.note(db, "TWO", "sent", "os:someone")
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en", page="views/today.py")
    at.toggle(key="show_done").set_value(True).run()
    undo = _button(at, "und_quote_due_TWO")
    assert undo.label == "Undo done"
    undo.click().run()
    assert not at.exception
    now = marks.state(db)
    assert ("TWO", "quote_due") not in now.done
    assert ("TWO", "sign_by") in now.done
    assert [n.text for n in now.notes["TWO"]] == ["sent"]


def test_a_snooze_hides_an_item_past_its_deadline(db: Path) -> None:
    """marks.snooze_deadline: the list's due-date column before the snooze's end."""
    tuesday = date(2026, 11, 24)
    assert marks.snooze_deadline("sign_by", {"sign_by_date": DAY}, tuesday) == DAY
    saturday = date(2026, 11, 21)
    assert marks.snooze_deadline("upcoming", {"requested_date": saturday}, tuesday) == saturday
    assert marks.snooze_deadline("upcoming", {"requested_date": date(2026, 12, 1)}, tuesday) is None
    # back on its list on its last day
    assert marks.snooze_deadline("sign_by", {"sign_by_date": tuesday}, tuesday) is None
    # a refusal: its last business day on the list; a row without a deadline date has none
    assert marks.snooze_deadline("refusals", {"refusal_last_date": DAY}, tuesday) == DAY
    assert marks.snooze_deadline("refusals", {"decision_date": DAY}, tuesday) is None


@pytest.mark.slow
def test_no_one_tap_snooze_on_an_item_due_before_the_next_business_day(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Friday the one-tap snooze (to Tuesday) is offered only on the call of 12-01: not on a
    sign-by of today or Saturday, a quote due, or a call on Saturday."""
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en", page="views/today.py")
    assert not at.exception
    assert _keys(at, "dne_") == {
        "dne_sign_by_TWO",
        "dne_sign_by_SAT",
        "dne_quote_due_TWO",
        "dne_upcoming_UPS",
        "dne_upcoming_UPC",
    }
    assert _keys(at, "snx_") == {"snx_upcoming_UPC"}


def _panel(due: tuple[str, dict]) -> None:
    from datetime import date

    from views import work

    work.card_more("SAT", "k", date(2026, 11, 20), None, due)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            "The deadline is 2026/11/21 (Sat): snoozed until 2026/11/24 (Tue), it stays off every "
            "list past its deadline.",
        ),
        (
            "ja",
            "期限は2026/11/21（土）です。2026/11/24（火）まで保留すると、期限を過ぎるまでどのリストにも"
            "出ません。",
        ),
    ],
)
def test_more_s_snooze_warns_when_the_day_picked_is_past_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    monkeypatch.setenv("OPSDASH_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setattr("views.common.lang", lambda: lang)
    due = ("sign_by", {"inquiry_id": "SAT", "sign_by_date": date(2026, 11, 21)})
    at = AppTest.from_function(_panel, args=(due,), default_timeout=60).run()
    at.segmented_control(key="mpk_k").set_value("snooze").run()
    assert not at.exception
    assert [w.value for w in at.warning] == [words]
    assert [b.key for b in at.button] == ["snz_k"]  # offered all the same
    at.date_input(key="snd_k").set_value(date(2026, 11, 21)).run()  # back on its last day
    assert not at.warning


@pytest.mark.slow
@pytest.mark.parametrize("tap", ["clm_sign_by_TWO", "snx_upcoming_UPC"])
def test_a_mark_reaches_every_card_of_the_inquiry(
    db: Path, monkeypatch: pytest.MonkeyPatch, tap: str
) -> None:
    """TWO has a card on Sign-by and on Quotes due: a claim on one shows on both at once (the whole
    page reruns); on UPC's single card a snooze reruns that card alone."""
    from views import work

    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en", page="views/today.py")
    assert at.session_state[work.CARDS]["TWO"] == {"sign_by", "quote_due"}
    _button(at, tap).click()
    if tap.startswith("clm_"):
        at.run()
        assert not at.exception
        cards = _cards(at, "TWO")
        assert len(cards) == 2
        assert all("held by this computer" in c for c in cards), cards
        assert _keys(at, "rel_") == {"rel_sign_by_TWO", "rel_quote_due_TWO"}
        _button(at, "rel_quote_due_TWO").click().run()  # released from the other card
        assert all("nobody holds it" in c for c in _cards(at, "TWO"))
        assert not _keys(at, "rel_")
    else:
        at.run()
        assert not at.exception
        assert work.RERUN_APP not in at.session_state  # one card: no whole-page rerun asked
        assert marks.state(db).snoozed["UPC"].day == date(2026, 11, 24)


@pytest.mark.slow
def test_the_cli_undo_still_takes_back_the_newest_or_the_mark_named(db: Path, capsys) -> None:
    """`mark undo ID` takes back the newest mark in force (here the note, as documented), and
    `--mark N` that mark: the card's rule (never a note) is the card's, not the CLI's."""
    from pipelines.__main__ import main

    snooze = marks.snooze(db, "UPC", date(2026, 11, 26), "aki")
    marks.note(db, "UPC", "later", "aki")
    assert main(["mark", "undo", "UPC", "--as", "aki", "--db", str(db)]) == 0
    now = marks.state(db)
    assert "UPC" not in now.notes
    assert "UPC" in now.snoozed
    assert (
        main(["mark", "undo", "UPC", "--mark", str(snooze.seq), "--as", "aki", "--db", str(db)])
        == 0
    )
    assert "UPC" not in marks.state(db).snoozed
    capsys.readouterr()
