"""Two staff on 390 px phones at once (Chromium): a card's controls are one row that fits, a claim made
on one phone names its holder on the other, and the note box empties once a note is saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.office import marks
from tests.test_browser import APP_IDLE, CHROMIUM
from tests.test_login_browser import browser, locked_db, sign_in, start_server, stop, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
__all__ = ["browser", "locked_db"]  # fixtures shared with the lock's browser tests
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TODAY = "/today?as_of=2026-11-20&lang=ja"  # a Friday; Monday 11-23 is a holiday


@pytest.fixture(scope="module")
def server(locked_db: Path) -> Iterator[str]:
    url, proc = start_server(locked_db)
    yield url
    stop(proc)


def _row(page: object, key: str) -> dict:
    """A card's row of controls: whether it fits its box, and the tops of its visible buttons."""
    return page.locator(f".st-key-acts_{key}").evaluate(
        """r => ({fits: r.scrollWidth <= r.clientWidth + 1,
                  tops: [...r.querySelectorAll('button')].filter(b => b.offsetParent)
                        .map(b => Math.round(b.getBoundingClientRect().top))})"""
    )


def _idle(page: object) -> None:
    page.wait_for_function(  # the rerun has finished and nothing of the last run is left over
        f"() => {APP_IDLE}"
        ' && !document.querySelector(\'[data-stale="true"], [data-testid="stSkeleton"]\')',
        timeout=60000,
    )


def _tap(page: object, key: str) -> None:
    button = page.locator(f".st-key-{key} button:visible").first
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_timeout(1000)
    _idle(page)


def test_two_phones_claim_and_note(server: str, browser: object, locked_db: Path) -> None:
    """Sam's unclaimed and claimed cards keep one row on 390 px; Locky's phone names Sam as the
    holder; Sam's note is saved and the box is empty again."""
    sam_phone, locky_phone = browser.new_context(**PHONE), browser.new_context(**PHONE)
    sam = visit(sam_phone, server + TODAY)
    sign_in(sam, "sam")
    _idle(sam)
    # the widest row: a card with the one-tap snooze (not on an item due before Tuesday, the next
    # business day: docs/work.md "No one-tap snooze past a deadline")
    snooze = sam.locator('[class*="st-key-snx_"]').first
    key = next(c for c in snooze.get_attribute("class").split() if c.startswith("st-key-snx_"))
    item = key.removeprefix("st-key-snx_")  # <list>_<inquiry id>
    inquiry = item.rsplit("_", 1)[1]
    claim = sam.locator(f".st-key-clm_{item}").first
    claim.scroll_into_view_if_needed()
    row = _row(sam, item)
    assert row["fits"], row
    assert len(row["tops"]) == 4, row
    assert len(set(row["tops"])) == 1, row  # one line: nothing wrapped
    _tap(sam, f"clm_{item}")
    sam.locator(f".st-key-rel_{item}").wait_for(timeout=60000)
    assert marks.state(locked_db).holder(inquiry) == "sam"
    row = _row(sam, item)  # release, done, until Tuesday, more
    assert row["fits"], row
    assert len(row["tops"]) == 4, row
    assert len(set(row["tops"])) == 1, row  # one line: nothing wrapped
    assert "火曜まで" in sam.locator(f".st-key-snx_{item}").inner_text()

    locky = visit(locky_phone, server + TODAY)
    sign_in(locky, "locky")
    _idle(locky)
    card = locky.locator(".wq-card", has_text=inquiry).first
    assert "担当: sam" in card.inner_text()
    assert locky.locator(f".st-key-ask_btn_{item}").count() == 1  # take over, asked first
    assert _row(locky, item)["fits"]

    _tap(sam, f"mor_{item}")
    box = sam.locator(f".st-key-ntx_{item} textarea")
    box.fill("留守電。夕方に再度架電")
    _tap(sam, f"nte_{item}")
    sam.wait_for_function(
        "(k) => { const b = document.querySelector('.st-key-ntx_' + k + ' textarea');"
        " return b && b.value === ''; }",  # the More panel stays open, its box empty
        arg=item,
        timeout=60000,
    )
    assert [n.text for n in marks.state(locked_db).notes[inquiry]] == ["留守電。夕方に再度架電"]
    sam_phone.close()
    locky_phone.close()
