"""Small things around Today's cards (issues 23, 25): the CLI's `today` text names a mark made on this
computer as the page does; the page's refusal of an empty note names no CLI flag; a card re-reads its
own marks after a tap with the lists' done rule."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from pipelines.__main__ import main
from pipelines.office import marks
from tests.conftest import dashboard
from tests.test_marks import EVENTS, INQUIRIES, load

pytestmark = pytest.mark.xdist_group("marks")  # shares test_marks' loaded rows

AS_OF = "2026-11-24"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return load(tmp_path, INQUIRIES, EVENTS, "cards")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "words"), [("en", "held by this computer"), ("ja", "担当: この端末")]
)
def test_cli_today_names_this_computer(db: Path, capsys, lang: str, words: str) -> None:
    """A claim recorded as os:<user> reads "this computer" in `today`'s text, not the OS user."""
    marks.claim(db, "QD", "os:someone")
    marks.claim(db, "SB", "alice")
    capsys.readouterr()
    assert main(["today", "--as-of", AS_OF, "--lang", lang, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert words in out
    assert "os:someone" not in out
    assert ("held by alice" if lang == "en" else "担当: alice") in out


@pytest.mark.slow
def test_empty_note_refusal_on_the_page_names_no_cli_flag(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The inquiry page's empty note is refused in words without "(--text)"; the CLI keeps it."""
    at = dashboard(db, monkeypatch, as_of=AS_OF, inquiry="QD", lang="en", page="views/inquiries.py")
    next(b for b in at.button if b.key == "nte_inq").click().run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("A note needs text") for w in warnings), warnings
    assert not any("--text" in w for w in warnings), warnings
    assert marks.state(db).notes.get("QD") is None  # nothing written
    assert main(["mark", "note", "QD", "--text", " ", "--as", "bob", "--db", str(db)]) == 2
    assert "--text" in capsys.readouterr().err


def test_a_tapped_card_reads_its_own_marks(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """views.work.refreshed: done for day A until an event newer than the one seen; snoozed after A."""
    from views import common, work

    monkeypatch.setattr(common, "db_path", lambda: str(db))
    seen = datetime(2026, 11, 20, 10, 0)
    row = {"inquiry_id": "QD", "done": False, "snoozed_until": None, "last_event_at": seen}
    day = date(2026, 11, 24)
    marks.done(db, "QD", "quote_due", day, "bob", seen)
    fresh, now = work.refreshed(row, "quote_due", day)
    assert fresh["done"] is True
    assert fresh["snoozed_until"] is None
    assert work.put_away(fresh, now)
    assert work.refreshed(row, "sign_by", day)[0]["done"] is False  # another list's item
    later = {**row, "last_event_at": datetime(2026, 11, 21, 9, 0)}  # a newer event arrived
    assert work.refreshed(later, "quote_due", day)[0]["done"] is False
    assert work.refreshed(row, "quote_due", date(2026, 11, 23))[0]["done"] is False  # before A
    marks.snooze(db, "QD", date(2026, 11, 26), "bob")
    assert work.refreshed(row, "quote_due", day)[0]["snoozed_until"] == date(2026, 11, 26)
    assert work.refreshed(row, "quote_due", date(2026, 11, 26))[0]["snoozed_until"] is None
