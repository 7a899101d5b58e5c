"""Everything runs offline: a browser that opens every page (both languages) and presses the download
buttons requests nothing from any host but the dashboard's own server; a download's /media/ URL is made
only for a session that pressed the button.

What Streamlit 1.67 does not allow: a /media/… URL, once a session's click made it, can be fetched by
any client that knows it (the media route checks no session) until Streamlit prunes the file, at the
next script run after no session references it. The name is a hash of the content, not guessable; every
download on the pages is deferred (a callable), so nothing exists under /media/ before a click.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.test_browser import APP_IDLE, CHROMIUM, browser, server  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
LOCAL = {"127.0.0.1", "localhost", "::1", "[::1]"}
PAGES = ["", "whatif", "today", "inquiries", "data"]


def visit(browser: object, url: str) -> tuple[object, list[str]]:  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, timeout=60000)
    page.wait_for_selector('[data-testid="stApp"]', timeout=60000)
    page.wait_for_function(
        f"() => {APP_IDLE} && document.querySelector('h1')",
        timeout=60000,
    )
    page.wait_for_timeout(2500)  # icons, fonts and charts load after the first paint
    return page, requested


def foreign(urls: list[str]) -> list[str]:
    out = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            continue
        if parsed.hostname not in LOCAL:
            out.append(url)
    return out


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("path", PAGES)
def test_a_page_requests_nothing_beyond_its_own_server(
    server: str,  # noqa: F811
    browser: object,  # noqa: F811
    path: str,
    lang: str,
) -> None:
    page, requested = visit(browser, f"{server}/{path}?lang={lang}&as_of=2026-11-24")
    try:
        assert requested, "the recorder saw no request at all"
        assert foreign(requested) == []
        icon = page.evaluate("() => document.querySelector(\"link[rel='shortcut icon']\")?.href")
        assert icon is None or not foreign([icon])
    finally:
        page.close()


def test_downloads_are_made_on_click_stay_local_and_are_pruned(
    server: str,  # noqa: F811
    browser: object,  # noqa: F811
) -> None:
    page, requested = visit(browser, f"{server}/today?lang=en&as_of=2026-11-24")
    try:
        # no file exists under /media/ before a click (Streamlit's own assets are /static/media/)
        assert not [u for u in requested if urlparse(u).path.startswith("/media/")]
        buttons = page.locator('[data-testid="stDownloadButton"] button')
        buttons.nth(1).wait_for(timeout=60_000)  # drawn after the cards on a busy machine
        assert buttons.count() >= 2
        before = len(requested)
        buttons.first.click()
        page.wait_for_timeout(8000)
        made = [u for u in requested[before:] if urlparse(u).path.startswith("/media/")]
        assert made, requested[before:]
        assert all(urlparse(u).hostname in LOCAL for u in made)
    finally:
        page.close()
    # the session that made the file is gone; once another script run prunes unreferenced files,
    # the URL no longer serves it to anyone (on a busy machine the server may see the closed tab
    # only after the next run: a few more runs, then the verdict)
    for _attempt in range(5):
        other, _ = visit(browser, f"{server}/today?lang=en&as_of=2026-11-24")
        other.close()
        statuses = [_status(url) for url in made]
        if statuses == [404] * len(made):
            break
        time.sleep(2)
    assert statuses == [404] * len(made)
    assert foreign(requested) == []


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def test_an_unknown_media_url_is_not_served(server: str) -> None:  # noqa: F811
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{server}/media/{'0' * 56}.csv", timeout=10)
    assert caught.value.code == 404
    caught.value.close()
