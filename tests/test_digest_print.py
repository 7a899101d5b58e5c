"""The digest fits ONE A4 page when printed (SPEC "Digest"): printed with headless Chromium, its pages
counted. Skipped where no Chromium is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.__main__ import main

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)


def pdf_pages(pdf: Path) -> int:
    """The number of pages of a PDF (its /Type /Page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to print with")
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_digest_prints_on_one_a4_page(
    sample_db: Path, tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sample's digest as of Fri 2026-11-20, printed to PDF, is one page in either language."""
    html, pdf = tmp_path / "digest.html", tmp_path / "digest.pdf"
    args = ["digest", "--as-of", "2026-11-20", "--lang", lang, "--out", str(html)]
    assert main([*args, "--db", str(sample_db)]) == 0
    capsys.readouterr()
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert pdf_pages(pdf) == 1


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to lay the page out with")
def test_the_digest_fits_a_390_px_phone(sample_db: Path) -> None:
    """The sample's digest as of 2026-11-20 on a 390 px phone: the page is no wider than the screen
    in either language, and every table fits its column (the staff table once ran to 542 px)."""
    from playwright.sync_api import sync_playwright

    import pipelines
    from pipelines.digest import digest_html

    con = pipelines.connect(sample_db)
    pages = {lang: digest_html(con, "2026-11-20", lang) for lang in ("ja", "en")}
    con.close()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        page = phone.new_page()
        for lang, html in pages.items():
            page.set_content(html)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            tables = page.evaluate(
                "() => [...document.querySelectorAll('table')]"
                ".map(t => [t.scrollWidth, t.parentElement.clientWidth])"
            )
            assert width <= 390, lang
            assert len(tables) == 3
            assert all(inner <= box for inner, box in tables), (lang, tables)
        browser.close()
