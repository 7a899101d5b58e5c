"""The digest's "not final" note names what it counts: the inquiries not settled yet are the open and
the incomplete ones, each with the figure shown under "Status now" (sample, as of 2026-11-20)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

import pipelines
from pipelines import digest

pytestmark = pytest.mark.slow

DAY = "2026-11-20"


@pytest.fixture(scope="module")
def pages(sample_db: Path) -> dict[str, str]:
    con = pipelines.connect(sample_db)
    try:
        return {lang: digest.digest_html(con, DAY, lang) for lang in ("en", "ja")}
    finally:
        con.close()


def note(html: str) -> tuple[int, str]:
    """The not-final note's count and its words."""
    [(count, text)] = re.findall(r'<p class="note" data-unsettled="(\d+)">([^<]*)</p>', html)
    return int(count), unescape(text)


def test_the_unsettled_count_is_open_plus_incomplete_and_says_so(
    pages: dict[str, str], sample_db: Path
) -> None:
    """40 not settled = Open 36 + Incomplete 4: the two figures are visibly different things."""
    con = pipelines.connect(sample_db)
    try:
        counts = pipelines.report(con, DAY, "2026-11-14", DAY)["status_counts"]
    finally:
        con.close()
    assert (counts["open"], counts["incomplete"]) == (36, 4)
    assert note(pages["en"]) == (
        40,
        "40 of the 59 inquiries are not settled yet (Open 36 + Incomplete 4, as in “Status now”): "
        "these figures are not final.",
    )
    assert note(pages["ja"]) == (
        40,
        "59件のうち40件は未決着（対応中36件＋情報不足4件、「現在のステータス」の内訳）のため、"
        "数字は確定していません。",
    )
    assert 'data-status="open" data-value="36"' in pages["en"]
