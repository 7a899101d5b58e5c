"""A card's More panel on a 390 × 844 phone (Chromium) fits the screen: one group of controls at a
time, each group's controls all visible without scrolling the panel."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_browser import CHROMIUM
from tests.test_login_browser import browser, locked_db, sign_in, start_server, stop, visit
from tests.test_phone_browser import PHONE, TODAY, _idle, _tap

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
__all__ = ["browser", "locked_db"]


@pytest.fixture(scope="module")
def server(locked_db: Path) -> Iterator[str]:
    url, proc = start_server(locked_db)
    yield url
    stop(proc)


def _panel_box(page: object) -> dict:
    """The open popover's box on the screen."""
    return page.locator('[data-testid="stPopoverBody"]').last.evaluate(
        "p => { const r = p.getBoundingClientRect(); return {top: r.top, bottom: r.bottom,"
        " height: r.height, scrolls: p.scrollHeight > p.clientHeight + 1}; }"
    )


def test_the_more_panel_fits_a_phone_screen(server: str, browser: object) -> None:
    phone = browser.new_context(**PHONE)
    page = visit(phone, server + TODAY)
    sign_in(page, "sam")
    _idle(page)
    claim = page.locator('[class*="st-key-clm_sign_by_"]').first
    key = next(c for c in claim.get_attribute("class").split() if c.startswith("st-key-clm_"))
    item = key.removeprefix("st-key-clm_")
    shots = os.environ.get("OPSDASH_SHOTS")  # a folder: keep the screenshots to look at
    for group in ("note", "snooze", "not_inquiry"):
        if group == "note":
            _tap(page, f"mor_{item}")
        else:
            page.locator(f".st-key-mpk_{item} button").nth(
                ("note", "snooze", "not_inquiry").index(group)
            ).click()
            page.wait_for_timeout(1000)
            _idle(page)
        box = _panel_box(page)
        if shots:
            page.screenshot(path=str(Path(shots) / f"more-{group}-390.png"))
        assert box["height"] <= PHONE["viewport"]["height"] * 0.8, (group, box)
        assert not box["scrolls"], (group, box)
    phone.close()
