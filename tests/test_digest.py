"""The weekly digest: report's numbers for A−6..A, self-contained (no URLs, inline SVG), both
languages, at most two A4 pages, and the `digest` command."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

import pipelines
from pipelines import digest
from pipelines.__main__ import main
from pipelines.calendar import next_business_day
from pipelines.metrics import REPORT_METRICS

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("digest")

CHROMIUM = Path("/usr/bin/chromium")


class Cells(HTMLParser):
    """data-metric / data-status / data-list attributes and their data-value."""

    def __init__(self) -> None:
        super().__init__()
        self.metrics: dict[str, str] = {}
        self.statuses: dict[str, str] = {}
        self.lists: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for key, into in (
            ("data-metric", self.metrics),
            ("data-status", self.statuses),
            ("data-list", self.lists),
        ):
            if key in found:
                into[found[key] or ""] = found.get("data-value") or ""


def cells(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def pages(sample_db: Path) -> dict[tuple[str, str], str]:
    """The digest for two as-of days, one per language (vl-convert takes a second or two each)."""
    con = pipelines.connect(sample_db)
    try:
        return {
            ("2026-11-20", "ja"): digest.digest_html(con, "2026-11-20", "ja"),
            ("2026-11-24", "en"): digest.digest_html(con, "2026-11-24", "en"),
        }
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize(("day", "lang"), [("2026-11-20", "ja"), ("2026-11-24", "en")])
def test_digest_numbers_equal_the_report_for_the_seven_days(
    pages: dict, sample_db: Path, day: str, lang: str
) -> None:
    """Every report figure and status count in the digest is report(--from A−6 --to A)'s."""
    as_of = date.fromisoformat(day)
    con = pipelines.connect(sample_db)
    try:
        report = pipelines.report(con, as_of, as_of - timedelta(days=6), as_of)
        settings = pipelines.api.settings_of(con)
        lists = pipelines.staff_lists(con, next_business_day(as_of, settings), known_at=as_of)
    finally:
        con.close()
    found = cells(pages[(day, lang)])
    for metric in REPORT_METRICS:
        value = report[metric.name]
        assert found.metrics[metric.name] == ("" if value is None else repr(value)), metric.name
    assert {k: int(v) for k, v in found.statuses.items()} == report["status_counts"]
    assert {k: int(v) for k, v in found.lists.items()} == {k: len(v) for k, v in lists.items()}


@pytest.mark.slow
def test_digest_is_self_contained(pages: dict) -> None:
    """No URL to fetch (not even SVG namespaces), no script, stylesheet or image link; charts as
    inline SVG; a print style for A4."""
    for html in pages.values():
        assert not re.search(r"https?://", html)
        assert not re.search(r"<(script|link|img|iframe)\b", html, re.IGNORECASE)
        assert not re.search(r"\ssrc=", html)
        assert html.count("<svg") >= 5  # four trends and where staff time went
        assert "@page { size: A4" in html
        assert "@media print" in html


@pytest.mark.slow
def test_digest_speaks_each_language(pages: dict) -> None:
    """Japanese page: Japanese headings, dates and units; English page: English ones."""
    ja, en = pages[("2026-11-20", "ja")], pages[("2026-11-24", "en")]
    assert '<html lang="ja">' in ja
    assert "週次レポート・2026/11/14〜11/20" in ja
    assert "成約率" in ja
    assert "円" in ja
    assert "This week" not in ja
    assert "Conversion rate" not in ja
    assert '<html lang="en">' in en
    assert "Weekly digest · Nov 18 – Nov 24, 2026" in en
    assert "週次" not in en


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless browser for the module's print tests (each prints in a page of its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
@pytest.mark.parametrize("key", [("2026-11-20", "ja"), ("2026-11-24", "en")])
def test_digest_prints_on_at_most_two_a4_pages(
    pages: dict, tmp_path: Path, key: tuple, chromium
) -> None:
    """Printed to PDF by a real browser, each language's digest takes one or two A4 pages."""
    page_file = tmp_path / "digest.html"
    page_file.write_text(pages[key], encoding="utf-8")
    page = chromium.new_page()
    try:
        page.goto(page_file.as_uri())
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2


@pytest.mark.slow
def test_digest_command_writes_the_page(sample_db: Path, tmp_path: Path) -> None:
    """`digest --as-of A --lang ja --out FILE` writes the page; a missing --db is exit 2, nothing made."""
    out = tmp_path / "week.html"
    args = ["digest", "--db", str(sample_db), "--as-of", "2026-11-20", "--lang", "ja"]
    code = main([*args, "--out", str(out)])
    assert code == 0
    assert "週次レポート" in out.read_text(encoding="utf-8")
    missing = tmp_path / "nope.duckdb"
    assert main(["digest", "--db", str(missing), "--out", str(tmp_path / "x.html")]) == 2
    assert not missing.exists()
    assert not (tmp_path / "x.html").exists()


def test_digest_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`digest --help` names its options."""
    with pytest.raises(SystemExit) as info:
        main(["digest", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--as-of", "--lang", "--out", "--db"):
        assert option in text


@pytest.mark.slow
def test_empty_week_says_so(tmp_path: Path) -> None:
    """A week (and twelve weeks) with no inquiries says so instead of drawing empty charts."""
    from tests.conftest import build_db, inquiry

    db = build_db(tmp_path, [inquiry("A", "2026-01-05 10:00", requested_for="2026-12-20")])
    con = pipelines.connect(db)
    try:
        html = digest.digest_html(con, "2026-11-24", "en")
    finally:
        con.close()
    assert "No inquiries were received Nov 18 – Nov 24, 2026." in html
    assert html.count("<svg") == 0
