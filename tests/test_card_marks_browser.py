"""A mark every card of an inquiry shows reaches all its cards on Today at once (Chromium, the sample
as of 2026-11-20): a claim on one of an inquiry's two cards shows on the other without a reload (the
whole page reruns); on an inquiry with one card, a snooze still reruns that card alone (issue 25).
AppTest cannot show this: it reruns the whole script on every tap, fragments included. And on a
390 × 844 phone a card's More panel opened low on the screen is whole, not a squeezed strip."""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.office import marks
from tests.test_browser import APP_IDLE, CHROMIUM
from tests.test_login_browser import browser, start_server, stop, visit
from tests.test_phone_browser import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
__all__ = ["browser"]
TODAY = "/today?as_of=2026-11-20&lang=en"
IDLE = (
    f"() => {APP_IDLE}"
    ' && !document.querySelector(\'[data-stale="true"], [data-testid="stSkeleton"]\')'
)
LISTS = ("eligible", "attention", "sign_by", "quote_due", "follow_up", "upcoming", "refusals")


@pytest.fixture(scope="module")
def open_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample without accounts (marks are this computer's)."""
    db = tmp_path_factory.mktemp("card_marks") / "ops.duckdb"
    shutil.copyfile(sample_db, db)
    return db


@pytest.fixture(scope="module")
def server(open_db: Path) -> Iterator[str]:
    url, proc = start_server(open_db)
    yield url
    stop(proc)


def _click(page: object, key: str) -> None:
    button = page.locator(f".st-key-{key} button").first
    button.scroll_into_view_if_needed()
    button.click()


def _cards_by_inquiry(page: object, prefix: str) -> dict[str, list[str]]:
    """The lists whose drawn cards of each inquiry have a control with this key prefix."""
    found: dict[str, list[str]] = defaultdict(list)
    for cls in page.locator(f'[class*="st-key-{prefix}"]').evaluate_all(
        "els => els.map(e => e.className)"
    ):
        key = next(c for c in cls.split() if c.startswith(f"st-key-{prefix}"))
        item = key.removeprefix(f"st-key-{prefix}")
        name = next(n for n in LISTS if item.startswith(n + "_"))
        found[item.removeprefix(name + "_")].append(name)
    return found


def _heading(page: object, name: str) -> str:
    return page.locator(f'[id="{name}"]').first.inner_text()


def test_a_claim_reaches_both_cards_of_an_inquiry(server: str, browser: object) -> None:
    page = visit(browser.new_context(), server + TODAY)
    page.wait_for_function(IDLE, timeout=60000)
    _click(page, "more_sign_by_cards")  # the sample's two-card inquiries sign by further down
    page.locator(".st-key-more_sign_by_cards").wait_for(state="detached", timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    two = {i: ls for i, ls in _cards_by_inquiry(page, "clm_").items() if len(ls) == 2}
    assert two, "the sample shows an inquiry on two lists as of 2026-11-20"
    inquiry, (first, second) = next(iter(two.items()))
    _click(page, f"clm_{first}_{inquiry}")
    page.locator(f".st-key-rel_{second}_{inquiry}").wait_for(timeout=60000)  # the other card
    page.wait_for_function(IDLE, timeout=60000)
    assert page.locator(f".st-key-rel_{first}_{inquiry}").count() == 1
    cards = page.locator(".wq-card", has_text=f"{inquiry} ›")
    assert cards.count() == 2
    assert all("held by this computer" in t for t in cards.all_inner_texts())
    _click(page, f"rel_{second}_{inquiry}")  # released from the other card: both say so
    page.locator(f".st-key-clm_{first}_{inquiry}").wait_for(timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    assert all("nobody holds it" in t for t in cards.all_inner_texts())
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_snooze_on_a_single_card_reruns_that_card_alone(
    server: str, browser: object, open_db: Path
) -> None:
    """The card greys with "Undo snooze" while its list's heading keeps its count (no page rerun)."""
    page = visit(browser.new_context(), server + TODAY)
    page.wait_for_function(IDLE, timeout=60000)
    ones = {i: ls for i, ls in _cards_by_inquiry(page, "snx_").items() if len(ls) == 1}
    drawn = _cards_by_inquiry(page, "clm_")
    inquiry, [name] = next((i, ls) for i, ls in ones.items() if len(drawn[i]) == 1)
    before = _heading(page, name)
    _click(page, f"snx_{name}_{inquiry}")
    page.locator(f".st-key-und_{name}_{inquiry}").wait_for(timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    assert inquiry in marks.state(open_db).snoozed
    undo = page.locator(f".st-key-und_{name}_{inquiry} button").first
    assert "Undo snooze" in undo.inner_text()
    assert _heading(page, name) == before  # only the card ran: the count follows on a full run
    undo.click()
    page.locator(f".st-key-snx_{name}_{inquiry}").wait_for(timeout=60000)
    assert inquiry not in marks.state(open_db).snoozed


def test_not_an_inquiry_on_a_card_says_so_and_its_undo_takes_it_back(
    server: str, browser: object, open_db: Path
) -> None:
    """More → Not an inquiry on a single card: the card greys, says "not an inquiry" and offers
    "Undo not an inquiry", which takes back that mark."""
    page = visit(browser.new_context(), server + TODAY)
    page.wait_for_function(IDLE, timeout=60000)
    drawn = _cards_by_inquiry(page, "dne_")
    inquiry, [name] = next((i, ls) for i, ls in drawn.items() if len(ls) == 1)
    key = f"{name}_{inquiry}"
    _click(page, f"mor_{key}")
    page.locator(f".st-key-mpk_{key} button").nth(2).click()  # note, snooze, not an inquiry
    page.locator(f".st-key-nin_{key} button").first.wait_for(timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    _click(page, f"nin_{key}")
    page.locator(f".st-key-und_{key}").wait_for(timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    assert inquiry in marks.state(open_db).excluded
    card = page.locator(".wq-card.grey", has_text=f"{inquiry} ›")
    assert "not an inquiry" in card.inner_text()
    page.mouse.click(5, 5)  # the panel closes
    undo = page.locator(f".st-key-und_{key} button:visible").first
    assert "Undo not an inquiry" in undo.inner_text()
    undo.click()
    page.locator(f".st-key-dne_{key}").wait_for(timeout=60000)
    assert inquiry not in marks.state(open_db).excluded


SCROLL_TO = """([key, top]) => {
  const e = document.querySelector('.st-key-' + key);
  let s = e.parentElement;  // the page's scrolling box (Streamlit's main area, not the window)
  while (s && !(s.scrollHeight > s.clientHeight + 5
                && ['auto', 'scroll'].includes(getComputedStyle(s).overflowY))) s = s.parentElement;
  (s || document.scrollingElement).scrollBy(0, e.getBoundingClientRect().top - top);
}"""


@pytest.mark.parametrize("top", [150, 700])
def test_the_more_panel_is_whole_on_a_phone_wherever_the_card_is(
    server: str, browser: object, top: int
) -> None:
    """Opened from a card 700 px down a 844 px screen the panel was placed under the button and
    squeezed to ~90 px that scrolled; it is a sheet along the screen's bottom now."""
    phone = browser.new_context(**PHONE)
    page = visit(phone, server + TODAY.replace("lang=en", "lang=ja"))
    page.wait_for_function(IDLE, timeout=60000)
    more = page.locator('[class*="st-key-mor_sign_by_"]').nth(1)
    key = next(c for c in more.get_attribute("class").split() if c.startswith("st-key-mor_"))
    key = key.removeprefix("st-key-")
    page.locator(f".st-key-{key} button:visible").first.scroll_into_view_if_needed()
    page.evaluate(SCROLL_TO, [key, top])
    page.wait_for_timeout(300)
    page.locator(f".st-key-{key} button:visible").first.click()
    page.locator('[data-testid="stPopoverBody"] [class*="st-key-mpk_"]').wait_for(timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    box = page.locator('[data-testid="stPopoverBody"]').last.evaluate(
        "p => { const r = p.getBoundingClientRect(); return {top: r.top, bottom: r.bottom,"
        " scrolls: p.scrollHeight > p.clientHeight + 1}; }"
    )
    assert box["top"] >= 0, box
    assert box["bottom"] <= PHONE["viewport"]["height"], box
    assert not box["scrolls"], box
    assert page.locator('[data-testid="stPopoverBody"] textarea').is_visible()  # the note box
    phone.close()
