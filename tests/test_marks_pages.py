"""The marks on the pages (AppTest): Today's cards, My work, the done fold, the inquiry page, the owner's
reply templates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.office import audit, marks
from pipelines.settings import DEFAULT_SETTINGS_PATH, load_settings
from tests.conftest import dashboard
from tests.test_marks import EVENTS, INQUIRIES, load

# one worker runs this with test_marks: the rows test_marks.load loaded are copied, not loaded again
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marks")]

AS_OF = "2026-11-24"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return load(tmp_path, INQUIRIES, EVENTS, "pages")


def _html(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_today_claim_done_and_my_work(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = dashboard(db, monkeypatch, as_of=AS_OF, lang="en", page="views/today.py")
    assert not at.exception
    assert "Quotes due (1)" in [s.value for s in at.subheader]
    assert "Refusals to send (1)" in [s.value for s in at.subheader]
    me = marks.audit.cli_user()  # no accounts: marks are the operating-system user's
    _button(at, "clm_quote_due_QD").click().run()
    assert not at.exception
    assert marks.state(db).holder("QD") == me
    assert "held by this computer" in _html(at)  # not the OS user ("held by root")
    _button(at, "dne_quote_due_QD").click().run()  # done: off the list at once
    assert "Quotes due (0)" in [s.value for s in at.subheader]
    at.toggle(key="show_done").set_value(True).run()
    assert any("Done and snoozed (1)" in e.label for e in at.expander)
    # someone else holds SB: My work leaves it out, the full view shows who holds it
    marks.claim(db, "SB", "colleague")
    at.toggle(key="my_work").set_value(True).run()
    assert "Last day to sign (0)" in [s.value for s in at.subheader]
    at.toggle(key="my_work").set_value(False).run()
    assert "Last day to sign (1)" in [s.value for s in at.subheader]
    assert _button(at, "ask_btn_sign_by_SB").label == "Take over from colleague"


def test_inquiry_page_not_an_inquiry_and_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = dashboard(db, monkeypatch, as_of=AS_OF, inquiry="RU", lang="en", page="views/inquiries.py")
    assert not at.exception
    assert any("お受けすることができません" in c.value for c in at.code), [c.value for c in at.code]
    _button(at, "nin_inq").click().run()
    assert not at.exception
    assert "RU" in marks.state(db).excluded
    assert "left out of every figure and list" in at.warning[0].value
    _button(at, "undo_excluded").click().run()
    assert "RU" not in marks.state(db).excluded
    assert [r.detail["mark"] for r in audit.rows(db, kind="mark")] == ["not_inquiry", "undo"]


def test_owner_edits_a_template_with_a_preview(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    office = Path(shutil.copyfile(DEFAULT_SETTINGS_PATH, tmp_path / "office.toml"))
    monkeypatch.setenv("OPSDASH_SETTINGS", str(office))
    monkeypatch.setenv("OPSDASH_DB", str(db))
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    at = AppTest.from_file("../views/settings.py", default_timeout=120)
    at.query_params["as_of"] = AS_OF
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    at.selectbox(key="tpl_reason").set_value("refusal_urgent").run()
    at.segmented_control(key="tpl_lang").set_value("en").run()
    at.text_area(key="b_refusal_urgent_en").input(
        "Dear {customer_name}, not on {requested_date}: sign {min_lead_days} days ahead."
    ).run()
    at.text_input(key="preview_id").input("RU").run()
    assert any("not on Wed, November 25, 2026: sign 3 days ahead" in c.value for c in at.code)
    _button(at, "tpl_save").click().run()
    assert not at.exception
    saved = load_settings(office)
    body = saved.table("drafts")["refusal_urgent"]["body_en"]
    assert body.startswith("Dear {customer_name}, not on")
    assert "subject_ja" in saved.table("drafts")["refusal_urgent"]  # the other language kept
    assert "# Business settings" in office.read_text(encoding="utf-8")  # comments kept
    assert audit.rows(db, kind="settings_change")[-1].detail["reason"] == "refusal_urgent"
