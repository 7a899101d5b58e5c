"""In a real browser: Streamlit's own controls speak Japanese on Japanese pages (views/style.py), and
the Inquiries page is cards on a phone. Uses test_browser's server and Chromium."""

from __future__ import annotations

import pytest

from tests.test_browser import browser, open_page, pytestmark, server  # noqa: F401

__all__ = ["pytestmark"]


def test_date_picker_and_table_toolbar_in_japanese(server: str, browser: object) -> None:  # noqa: F811
    """The as-of picker's calendar shows 日〜土 and 年/月 headings; the table toolbar's labels and
    tooltips are Japanese."""
    page = open_page(browser, f"{server}/inquiries?as_of=2026-11-20&lang=ja", "controls_ja")
    page.locator('[data-testid="stDateInputCalendarButton"]').first.click(force=True)
    calendar = page.locator('[data-testid="stDateInputCalendar"]').first
    calendar.wait_for(timeout=30000)
    page.wait_for_timeout(500)
    heads = calendar.locator(".react-aria-CalendarGridHeader th").all_inner_texts()
    assert heads == ["日", "月", "火", "水", "木", "金", "土"]
    text = calendar.inner_text()
    assert "2026年11月" in text
    assert "November" not in text
    page.keyboard.press("Escape")
    page.locator('[data-testid="stDataFrame"]').first.hover()
    page.wait_for_timeout(500)
    labels = [
        b.get_attribute("aria-label")
        for b in page.locator('[data-testid="stElementToolbar"] button').all()
    ]
    assert labels
    assert "全画面表示" in labels
    assert not {"Search", "Fullscreen", "Show/hide columns"} & set(labels)
    page.close()


def test_uploader_in_japanese_and_back_in_english(server: str, browser: object) -> None:  # noqa: F811
    """The uploader's button and limit are Japanese on a Japanese page, English on an English one."""
    page = open_page(browser, f"{server}/data?as_of=2026-11-20&lang=ja", "uploader_ja")
    text = page.locator('[data-testid="stFileUploader"]').first.inner_text()
    assert "アップロード" in text
    assert "1ファイル50MBまで" in text
    assert "per file" not in text
    assert "Upload" not in text
    page.close()
    page = open_page(browser, f"{server}/data?as_of=2026-11-20&lang=en", "uploader_en")
    assert "per file" in page.locator('[data-testid="stFileUploader"]').first.inner_text()
    page.close()


@pytest.mark.parametrize(("width", "cards"), [(390, True), (1440, False)])
def test_inquiries_are_cards_on_a_phone_and_a_table_on_a_desk(
    server: str,  # noqa: F811
    browser: object,  # noqa: F811
    width: int,
    cards: bool,
) -> None:
    """At 390 px all 50 rows of the page are cards (the grid is hidden); at 1440 px the grid shows."""
    page = open_page(
        browser, f"{server}/inquiries?as_of=2026-11-20&lang=ja", f"inq_{width}", width=width
    )
    visible_cards = page.locator(".iq-card:visible").count()
    grid = page.locator('[data-testid="stDataFrame"]').first.is_visible()
    assert (visible_cards, grid) == ((50, False) if cards else (0, True))
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    page.close()
