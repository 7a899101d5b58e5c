"""A tap on a Today card reruns that card only (issue 25), in Chromium on the sample as of 2026-11-20:
Done greys the card in place with Undo at hand while the list's count waits for the next full run;
a reload counts it. "Show more" adds a batch of cards to its list."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.office import marks
from tests.test_browser import APP_IDLE, CHROMIUM
from tests.test_login_browser import browser, start_server, stop, visit
from views.work import FIRST_CARDS

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


@pytest.fixture(scope="module")
def open_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample without accounts (marks are this computer's)."""
    db = tmp_path_factory.mktemp("cards") / "ops.duckdb"
    shutil.copyfile(sample_db, db)
    return db


@pytest.fixture(scope="module")
def server(open_db: Path) -> Iterator[str]:
    url, proc = start_server(open_db)
    yield url
    stop(proc)


def _heading(page: object) -> str:
    return page.locator("h3", has_text="Quotes due (").first.inner_text()


def _tap(page: object, key: str, then: str) -> None:
    button = page.locator(f".st-key-{key} button").first
    button.scroll_into_view_if_needed()
    button.click()
    page.locator(f".st-key-{then} button").first.wait_for(timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)


def test_done_greys_the_card_in_place(server: str, browser: object, open_db: Path) -> None:
    """Done: the card greys with Undo, the heading keeps its count (only the card ran); Undo brings
    Done back; Done again and a reload: one fewer."""
    page = visit(browser.new_context(), server + TODAY)
    page.wait_for_function(IDLE, timeout=60000)
    done = page.locator('[class*="st-key-dne_quote_due_"]').first
    key = next(c for c in done.get_attribute("class").split() if c.startswith("st-key-dne_"))
    item = key.removeprefix("st-key-dne_")
    inquiry = item.removeprefix("quote_due_")
    before = _heading(page)
    n = int(before.rsplit("(", 1)[1].rstrip(")"))
    assert page.locator(".wq-card.grey").count() == 0
    _tap(page, f"dne_{item}", then=f"und_{item}")
    assert ("quote_due", inquiry) in {
        (m.list, m.inquiry_id) for ms in marks.state(open_db).done.values() for m in ms
    }
    assert page.locator(".wq-card.grey").count() == 1
    assert inquiry in page.locator(".wq-card.grey").inner_text()
    assert _heading(page) == before  # the page did not rerun: the count follows on the next run
    _tap(page, f"und_{item}", then=f"dne_{item}")
    assert page.locator(".wq-card.grey").count() == 0
    _tap(page, f"dne_{item}", then=f"und_{item}")
    page.reload()
    page.wait_for_function("() => document.querySelector('h1')", timeout=60000)
    page.wait_for_function(IDLE, timeout=60000)
    assert _heading(page) == f"Quotes due ({n - 1})"


def test_show_more_adds_a_batch_to_its_list(server: str, browser: object) -> None:
    """Show more under Last day to sign (11 on the sample) adds as many cards as its button says, each with its controls;
    the list's heading keeps its count (docs/today-cards.md)."""
    page = visit(browser.new_context(), server + TODAY)
    page.wait_for_function(IDLE, timeout=60000)
    before = page.locator(".wq-card").count()
    heading = page.locator("h3", has_text="Last day to sign (").first.inner_text()
    more = page.locator(".st-key-more_sign_by_cards button").first
    n = int(re.fullmatch(r".*Show (\d+) more", more.inner_text().strip(), re.S).group(1))
    assert n >= 1
    more.scroll_into_view_if_needed()
    more.click()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.wq-card').length === n", arg=before + n, timeout=60000
    )
    page.wait_for_function(IDLE, timeout=60000)
    assert page.locator(".wq-card").count() == before + n
    assert page.locator('[class*="st-key-dne_sign_by_"]').count() == FIRST_CARDS + n
    assert page.locator("h3", has_text="Last day to sign (").first.inner_text() == heading
    assert page.locator('[data-testid="stException"]').count() == 0
