"""The marks on the pages with accounts on (AppTest): two staff in two sessions on one database — Aki
claims, Ben sees Aki as the holder and takes it over (audited), Ben's done greys the card for Aki on
her next run, undo brings it back; notes and the one-tap snooze on the inquiry page; staff still
cannot reach the owner's pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.office import accounts, audit, marks
from tests.conftest import dashboard
from tests.test_marks import EVENTS, INQUIRIES, load

pytestmark = pytest.mark.slow

AS_OF = "2026-11-24"  # a Tuesday: the next business day is Wednesday 11-25
PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The marks fixture (one inquiry on every list) with an owner and two staff reading English."""
    path = load(tmp_path, INQUIRIES, EVENTS, "two")
    accounts.add_account(path, "boss", PASSWORD, "owner", "os:test", lang="en")
    accounts.add_account(path, "aki", PASSWORD, "staff", "os:test", lang="en", display_name="Aki")
    accounts.add_account(path, "ben", PASSWORD, "staff", "os:test", lang="en", display_name="Ben")
    return path


def signed_in(
    db: Path, monkeypatch: pytest.MonkeyPatch, name: str, as_of: str = AS_OF, **params: str
) -> AppTest:
    """A session of its own (its own AppTest), signed in as name, as of a fixed day."""
    at = dashboard(db, monkeypatch, as_of=as_of, lang="en", **params)
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert not _has(at, "login_password")  # past the sign-in card
    assert at.query_params["as_of"] == as_of  # the as-of day survives it
    return at


def _has(at: AppTest, key: str) -> bool:
    return any(w.key == key for w in at.text_input)


def _html(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def _card(at: AppTest, inquiry_id: str) -> str:
    """The HTML of the card (or cards) of one inquiry."""
    return "\n".join(
        e.proto.body
        for e in at.get("html")
        if 'class="wq-card' in e.proto.body and f">{inquiry_id} ›<" in e.proto.body
    )


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_two_staff_claim_take_over_done_and_undo(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Claims name their account; a takeover asks first and is in the audit trail; done by one greys
    the card for the other after a rerun; undo brings it back for both."""
    aki = signed_in(db, monkeypatch, "aki")
    ben = signed_in(db, monkeypatch, "ben")
    # both landed on Today (staff's home): no second run of it before the first tap
    assert aki.title[0].value == ben.title[0].value == "Work queue for 2026/11/24 (Tue)"

    _button(aki, "clm_quote_due_QD").click().run()
    assert not aki.exception
    assert marks.state(db).holder("QD") == "aki"
    assert "held by Aki" in _card(aki, "QD")
    assert _button(aki, "rel_quote_due_QD").label == "Release"

    ben.run()  # Ben's next run: Aki holds it, and Ben is asked before taking it over
    assert "held by Aki" in _card(ben, "QD")
    assert not [b for b in ben.button if b.key == "clm_quote_due_QD"]
    _button(ben, "ask_btn_quote_due_QD").click().run()
    assert marks.state(db).holder("QD") == "aki"  # the first tap only asks
    assert _button(ben, "tko_quote_due_QD").label == "Aki holds it: take it over?"
    _button(ben, "tko_quote_due_QD").click().run()
    assert not ben.exception
    assert marks.state(db).holder("QD") == "ben"
    assert "held by Ben" in _card(ben, "QD")
    takeover = audit.rows(db, kind="mark")[-1]
    assert (takeover.who, takeover.detail["mark"], takeover.detail["takeover_from"]) == (
        "ben",
        "claim",
        "aki",
    )

    # My work: Aki no longer holds it and Ben does, so it leaves Aki's view
    aki.toggle(key="my_work").set_value(True).run()
    assert "Quotes due (0)" in _subheaders(aki)
    assert "Quotes due<b>0</b>" in _html(aki)  # the chip counts what the list shows
    aki.toggle(key="my_work").set_value(False).run()
    assert "Quotes due (1)" in _subheaders(aki)

    _button(ben, "dne_quote_due_QD").click().run()
    assert "Quotes due (0)" in _subheaders(ben)
    aki.run()  # Aki's next run: off her list, and grey under the fold when she asks for done ones
    assert "Quotes due (0)" in _subheaders(aki)
    aki.toggle(key="show_done").set_value(True).run()
    assert any("Done and snoozed (1)" in e.label for e in aki.expander)
    grey = _card(aki, "QD")
    assert 'class="wq-card grey"' in grey or 'class="wq-card overdue grey"' in grey
    assert "held by Ben · done" in grey

    _button(aki, "und_quote_due_QD").click().run()  # Aki takes Ben's done back
    assert not aki.exception
    assert "Quotes due (1)" in _subheaders(aki)
    ben.run()
    assert "Quotes due (1)" in _subheaders(ben)
    assert [(r.who, r.detail["mark"]) for r in audit.rows(db, kind="mark")] == [
        ("aki", "claim"),
        ("ben", "claim"),
        ("ben", "done"),
        ("aki", "undo"),
    ]


def test_the_inquiry_page_notes_and_one_tap_snooze_by_two_staff(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Aki's note shows for Ben with her name; Ben snoozes in one tap to the next business day --
    not SB, whose last day to sign is today (a snooze would hide it past it: no one-tap snooze, as
    on its card), but K, on no list."""
    aki = signed_in(db, monkeypatch, "aki", inquiry="SB")
    aki.switch_page("views/inquiries.py").run()
    assert not aki.exception
    _button(aki, "clm_inq").click().run()
    aki.text_area(key="ntx_inq").input("Called, no answer; try after 3 pm")
    _button(aki, "nte_inq").click().run()
    assert not aki.exception
    assert [n.text for n in marks.state(db).notes["SB"]] == ["Called, no answer; try after 3 pm"]
    assert marks.history(db, "SB")[-1].who == "aki"
    assert aki.text_area(key="ntx_inq").value == ""  # the box is empty for the next note

    ben = signed_in(db, monkeypatch, "ben", inquiry="SB")
    ben.switch_page("views/inquiries.py").run()
    assert "held by Aki" in [m.value.strip("*") for m in ben.markdown]
    assert any(c.value.startswith("Aki · ") for c in ben.caption)
    assert "Called, no answer; try after 3 pm" in [t.value for t in ben.text]
    assert not any(b.key == "snx_inq" for b in ben.button)  # due today
    ben = signed_in(db, monkeypatch, "ben", inquiry="K")
    ben.switch_page("views/inquiries.py").run()
    snooze = _button(ben, "snx_inq")
    assert snooze.label == "Until Wed"
    snooze.click().run()
    assert not ben.exception
    held = marks.state(db).snoozed["K"]
    assert (held.who, held.day) == ("ben", date(2026, 11, 25))


def test_the_one_tap_snooze_skips_a_holiday_and_the_weekend(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Friday 2026-11-20 the next business day is Tuesday 11-24 (Monday 11-23 is a holiday)."""
    aki = signed_in(db, monkeypatch, "aki", as_of="2026-11-20", inquiry="SIL")
    aki.switch_page("views/inquiries.py").run()
    snooze = _button(aki, "snx_inq")
    assert (snooze.label, snooze.help) == (
        "Until Tue",
        "Snooze until the next business day, 2026/11/24 (Tue): off every list until then",
    )
    snooze.click().run()
    assert marks.state(db).snoozed["SIL"].day == date(2026, 11, 24)


def test_staff_cannot_reach_the_owner_pages_while_marking(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staff session that marks still gets the polite no on every owner page."""
    ben = signed_in(db, monkeypatch, "ben")  # on Today, staff's home
    _button(ben, "clm_sign_by_SB").click().run()
    for page in (
        "views/overview.py",
        "views/whatif.py",
        "views/accounts.py",
        "views/audit.py",
        "views/settings.py",
    ):
        ben.switch_page(page).run()
        assert not ben.exception
        assert [w.value for w in ben.warning] == [
            "This page is not available for your role (staff). Ask the owner if you need it."
        ]
        assert not ben.metric
        assert not ben.dataframe
        assert not ben.text_area


def test_without_accounts_the_notice_is_one_line_with_the_details_folded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phone's first screen keeps the page: one line, the whole notice under it when opened."""
    at = dashboard(load(tmp_path, INQUIRIES, EVENTS, "open"), monkeypatch, as_of=AS_OF, lang="ja")
    [notice] = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<details")]
    assert notice.startswith('<details role="note" class="opsdash-open"')
    assert "<summary>アカウント未作成: この端末の誰でも閲覧可</summary>" in notice
    assert "users add NAME --role owner" in notice.split("</summary>")[1]
