"""End to end: `streamlit run` on a free port, driven by headless Chromium through Playwright.

Screenshots of every page in both languages are saved under artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipelines

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
# The app has finished its script run: Streamlit marks its root with the run's state. (The status
# widget is no signal: it shows only after a run has lasted a moment, so a page can look idle
# between its heading and the rest on a busy machine.)
APP_IDLE = (
    "document.querySelector('[data-testid=\"stApp\"]')"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
)
pytestmark = [
    pytest.mark.browser,
    # one worker runs them all under pytest-xdist: one server and one Chromium, not one per worker
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (.ci/run installs it)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("e2e") / "ops.duckdb"
    shutil.copyfile(sample_db, db)
    port = free_port()
    env = {**os.environ, "OPSDASH_DB": str(db)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        proc.wait()
        pytest.fail(
            "streamlit did not start: " + proc.stderr.read().decode(errors="replace")[-2000:]
        )
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    proc.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def open_page(browser: object, url: str, shot: str, width: int = 1400) -> object:
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(url, timeout=60000)
    page.wait_for_selector('[data-testid="stApp"]', timeout=60000)
    page.wait_for_function(
        f"() => {APP_IDLE} && document.querySelector('h1')",
        timeout=60000,
    )
    if page.locator(".vega-embed").count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('canvas, svg'))",
            timeout=30000,
        )
    page.wait_for_function(  # lazily loaded widgets (tables, date pickers) show skeletons first
        '() => !document.querySelector(\'[data-testid="stSkeleton"], [data-testid="stElementSkeleton"]\')',
        timeout=30000,
    )
    page.wait_for_timeout(1500)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return page


def test_overview_shows_the_headline_values(server: str, browser: object, sample_db: Path) -> None:
    """The Overview shows the headline values of the report for the chosen period."""
    page = open_page(browser, f"{server}/?as_of=2026-11-24&lang=en", "overview_en")
    con = pipelines.connect(sample_db)
    from datetime import date, timedelta

    start = date(2026, 11, 24) - timedelta(days=89)
    h = pipelines.headline(con, "2026-11-24", start, "2026-11-24")
    con.close()
    labels = [t.strip() for t in page.locator('[data-testid="stMetricLabel"]').all_inner_texts()]
    shown = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    values = dict(zip(labels, shown, strict=True))
    assert values["Conversion rate"] == f"{h['conversion_rate'] * 100:.1f}%"
    assert values["Silent after quote"] == f"{h['silent_after_quote_rate'] * 100:.1f}%"
    assert values["Urgent requests"] == f"{h['urgent_requests']:,}"
    assert values["Staff time per lost inquiry"] == (
        f"{h['staff_minutes_per_nonconverting_inquiry']:.1f} min"
    )
    assert page.locator('[data-testid="stVegaLiteChart"], .vega-embed').count() >= 5
    page.close()


def test_today_works_on_a_phone(server: str, browser: object, sample_db: Path) -> None:
    """At 390 px the work queue is cards with tappable tel:/mailto: links, nothing wider than the screen,
    and a card's link opens that inquiry."""
    from pipelines.worklist import quote_due_groups
    from views.work import FIRST_CARDS

    con = pipelines.connect(sample_db)
    lists = pipelines.staff_lists(con, "2026-11-20")
    con.close()
    page = open_page(browser, f"{server}/today?as_of=2026-11-20&lang=en", "today_en_390", width=390)
    assert page.get_by_text(f"Calls to make ({len(lists['eligible'])})").count() == 1
    # each list's first batch; the months-old overdue quotes wait folded, drawn when opened
    due_today, overdue, _old = quote_due_groups(lists["quote_due"])
    assert page.locator(".wq-card").count() == min(
        len(due_today) + len(overdue), FIRST_CARDS
    ) + sum(
        min(len(lists[n]), FIRST_CARDS)
        # SPEC: the seventh list, Refusals to send (issue 23)
        for n in ("eligible", "attention", "sign_by", "follow_up", "upcoming", "refusals")
    )
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow
    phone = page.locator('.wq-card a[href^="tel:"]').first
    box = phone.bounding_box()
    assert box is not None
    assert box["width"] <= 390
    first = lists["eligible"]["inquiry_id"].iloc[0]
    page.locator(f'.wq-card a[href*="inquiry={first}&"]').first.click()
    page.wait_for_function(
        "(id) => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith(id))",
        arg=first,
        timeout=60000,
    )
    page.close()


def test_an_inquiry_opens_from_its_url_in_japanese(server: str, browser: object) -> None:
    """?inquiry=ID&lang=ja shows the inquiry with its rules worded in Japanese, at phone width."""
    page = open_page(
        browser,
        f"{server}/inquiries?inquiry=Q0004755&as_of=2026-11-20&lang=ja",
        "inquiry_ja_390",
        width=390,
    )
    page.wait_for_function(
        "() => document.body.innerText.includes('ステータスを決めたルール')", timeout=60000
    )
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Q0004755" in text
    assert "decided the status" not in text
    page.close()


@pytest.mark.parametrize("path", ["", "whatif", "today", "inquiries", "data"])
def test_every_page_in_japanese_renders(server: str, browser: object, path: str) -> None:
    """Each page renders in Japanese without an exception."""
    page = open_page(
        browser, f"{server}/{path}?as_of=2026-11-25&lang=ja", f"{path or 'overview'}_ja"
    )
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text()
    page.close()


@pytest.mark.parametrize("path", ["inquiries", "data"])
def test_other_pages_in_english_render(server: str, browser: object, path: str) -> None:
    """Inquiries and Data render in English without an exception."""
    page = open_page(browser, f"{server}/{path}?as_of=2026-11-25&lang=en", f"{path}_en")
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
