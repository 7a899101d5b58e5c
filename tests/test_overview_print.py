"""The Overview prints cleanly: printed to PDF by Chromium (as the browser's Print does) at the owner's
1440 px, the sample as of 2026-11-20 takes at most three A4 pages, trend charts two to a row, and no
chart is split across pages: each chart's heading and its axis are on the same page. On the screen at
1440 px the People table shows every column (its last heading was cut)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines import charts
from pipelines.metrics import chart_groups
from pipelines.settings import load_settings
from tests.test_browser import APP_IDLE, CHROMIUM, browser, server  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() or shutil.which("pdftotext") is None,
        reason="needs Debian's chromium and poppler's pdftotext",
    ),
]
MAX_PAGES = 3
FIRST_TICK = {"en": "Aug 24", "ja": "8/24"}  # the first week on every trend chart's x axis


def opened(browser: object, url: str) -> object:  # noqa: F811
    """The page at the owner's 1440 px once drawn, every chart included."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url, timeout=60000)
    page.wait_for_function(
        f"() => {APP_IDLE} && document.querySelector('h1')",
        timeout=60000,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-embed')].length >= 7 && "
        "[...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('canvas, svg'))",
        timeout=60000,
    )
    page.wait_for_timeout(1500)
    return page


def printed(browser: object, url: str, pdf: Path) -> list[str]:  # noqa: F811
    """The page at 1440 px printed to A4 PDF; the text of each printed page."""
    page = opened(browser, url)
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    page.close()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def headings(lang: str) -> set[str]:
    """The trend charts' headings as printed (several series: '● a / ● b')."""
    settings = load_settings()
    out = set()
    for group in chart_groups():
        names = [charts.metric_label(m, lang, settings) for m in group]
        out.add(names[0] if len(names) == 1 else " / ".join(f"● {n}" for n in names))
    return out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_overview_prints_on_few_pages_without_splitting_a_chart(
    server: str,  # noqa: F811
    browser: object,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    """At most three pages; per page, as many trend-chart headings as x axes (none cut off)."""
    texts = printed(browser, f"{server}/?as_of=2026-11-20&lang={lang}", tmp_path / "o.pdf")
    assert 1 <= len(texts) <= MAX_PAGES
    names = headings(lang)
    found_headings = found_axes = 0
    two_to_a_row = False
    for number, text in enumerate(texts, start=1):
        # a chart heading starts its line (the tiles' labels, same words, are indented in a box)
        cells = [
            re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line[:1].strip()
        ]
        on_page = sum(len(c) for c in cells if all(cell in names for cell in c))
        axes = text.count(FIRST_TICK[lang])
        assert on_page == axes, f"page {number}: {on_page} chart headings, {axes} x axes"
        found_headings += on_page
        found_axes += axes
        if any(len(c) == 2 and all(cell in names for cell in c) for c in cells):
            two_to_a_row = True
    assert found_headings == len(names) == found_axes
    assert two_to_a_row


def test_the_per_staff_table_shows_every_column_at_1440(
    server: str,  # noqa: F811
    browser: object,  # noqa: F811
) -> None:
    """The People table (the page's last) needs no sideways scrolling: its last heading is not cut."""
    page = opened(browser, f"{server}/?as_of=2026-11-20&lang=en")
    sizes = page.evaluate(
        """() => { const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
        const s = tables[tables.length - 1].querySelector('.dvn-scroller');
        return [s.scrollWidth, s.clientWidth]; }"""
    )
    page.close()
    scroll_width, client_width = sizes
    assert scroll_width <= client_width + 1, sizes
