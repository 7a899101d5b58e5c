"""The HTTP gate in front of Streamlit's routes (serve.py, views/http_gate.py): with accounts, a
download's /media/ URL is served only with a live session cookie (403 without one, or with a forged
or ended one); /_stcore/metrics is not served; the page, its assets and the health check are."""

from __future__ import annotations

import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from pipelines.office import accounts, sessions
from tests.test_browser import CHROMIUM
from tests.test_login_browser import start_server

PASSWORD = "correct horse battery"
UNKNOWN = f"/media/{'0' * 56}.csv"


def status(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url)
    if cookie is not None:
        request.add_header("Cookie", f"{sessions.COOKIE_NAME}={cookie}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def start(db: Path) -> tuple[str, subprocess.Popen]:
    """`streamlit run serve.py` on a free port for database db."""
    return start_server(db, script="serve.py", wait_s=120)


@pytest.fixture(scope="module")
def locked(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample with one owner (boss), served through serve.py: (url, database)."""
    db = tmp_path_factory.mktemp("gate") / "ops.duckdb"
    shutil.copyfile(sample_db, db)
    accounts.add_account(db, "boss", PASSWORD, "owner", "os:test", lang="en")
    url, proc = start(db)
    yield url, db
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.slow
def test_media_needs_a_live_session_when_accounts_exist(locked: tuple[str, Path]) -> None:
    url, db = locked
    token = sessions.start(db, accounts.get_account(db, "boss"))
    assert status(url + UNKNOWN) == 403
    assert status(url + UNKNOWN, cookie=token[:-1] + ("0" if token[-1] != "0" else "1")) == 403
    assert status(url + UNKNOWN, cookie="garbage") == 403
    assert status(url + UNKNOWN, cookie=token) == 404  # past the gate: Streamlit has no such file
    sessions.end(db, token, "boss")
    assert status(url + UNKNOWN, cookie=token) == 403  # an ended session opens nothing


@pytest.mark.slow
def test_metrics_are_refused_and_the_page_still_loads(locked: tuple[str, Path]) -> None:
    url, _db = locked
    assert status(url + "/_stcore/metrics") == 404
    assert status(url + "/_stcore/health") == 200
    assert status(url + "/") == 200  # the sign-in card needs no session


def test_without_accounts_media_is_as_before(tmp_path: Path, monkeypatch) -> None:
    """No accounts: the dashboard serves this computer only and the gate lets /media/ through."""
    from views.http_gate import media_allowed

    monkeypatch.setenv("OPSDASH_DB", str(tmp_path / "ops.duckdb"))
    assert media_allowed(None)
    accounts.add_account(tmp_path / "ops.duckdb", "boss", PASSWORD, "owner", "os:test")
    assert not media_allowed(None)
    assert not media_allowed("forged.token")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_a_real_download_url_works_with_the_session_only(locked: tuple[str, Path]) -> None:
    """Sign in, press a download button on Today, then fetch the /media/ URL it made: with the
    browser's session cookie it is served, without cookies it is refused. The cookie is HttpOnly
    (page scripts cannot read it) and still keeps the session across a reload."""
    from playwright.sync_api import sync_playwright

    from tests.test_login_browser import session_cookie, settled, sign_in

    url, _db = locked
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{url}/today?lang=en&as_of=2026-11-24", timeout=60000)
        settled(page)
        sign_in(page, "boss")
        session_cookie(context)  # the page's fetch of /_opsdash/session sets the cookie
        jar = {c["name"]: c for c in context.cookies()}
        assert jar[sessions.COOKIE_NAME]["httpOnly"] is True
        assert jar[sessions.COOKIE_NAME]["sameSite"] == "Strict"
        assert sessions.COOKIE_NAME not in page.evaluate("document.cookie")
        page.reload()
        settled(page)
        assert page.locator("input[type=password]").count() == 0  # still signed in
        buttons = page.locator('[data-testid="stDownloadButton"] button')
        buttons.first.wait_for(timeout=60_000)
        before = len(requested)
        buttons.first.click()
        page.wait_for_timeout(8000)
        made = [u for u in requested[before:] if urlparse(u).path.startswith("/media/")]
        cookie = {c["name"]: c["value"] for c in context.cookies()}.get(sessions.COOKIE_NAME)
        assert made, requested[before:]
        assert cookie
        assert [status(u, cookie=cookie) for u in made] == [200] * len(made)
        assert [status(u) for u in made] == [403] * len(made)
        # signing out removes the HttpOnly cookie (a page script could not) and ends the session
        page.locator('[data-testid="stSidebar"] button').filter(has_text="Sign out").click()
        page.wait_for_selector('[data-testid="stForm"] input[type=password]', timeout=60000)
        page.wait_for_timeout(2000)
        assert sessions.COOKIE_NAME not in {c["name"] for c in context.cookies()}
        assert [status(u, cookie=cookie) for u in made] == [403] * len(made)
        page.close()
        context.close()
        browser.close()
