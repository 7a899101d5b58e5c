"""The digest's "not final" note names what it counts: the inquiries not settled yet are the open and
the incomplete ones, each with the figure shown under "Status now" (sample, as of 2026-11-20)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

import pipelines
from pipelines import digest
from pipelines.settings import load_settings
from pipelines.vocabulary import STAFF_LISTS

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


def list_cells(html: str) -> dict[str, str]:
    """The work list's first items, per list, as text."""
    rows = re.findall(r'<tr data-list="(\w+)"[^>]*>.*?<td>([^<]*)</td></tr>', html)
    return {name: unescape(items) for name, items in rows}


def test_each_work_list_date_says_what_it_is(pages: dict[str, str]) -> None:
    """Work for Tue 11/24: a sign-by item names its deadline, not the call's day (12/7 once stood
    there unlabelled), a quote due its due day, a refusal the day it was decided; no bare "—"."""
    ja, en = list_cells(pages["ja"]), list_cells(pages["en"])
    assert len(ja) == len(en) == 7
    assert "松本太郎 (Q0004722, 契約期限 2026/11/24（火）)" in ja["sign_by"]
    assert "松本太郎 (Q0004722, sign by 2026/11/24 (Tue))" in en["sign_by"]
    assert "加藤陽菜 (Q0004937, 見積期限 2026/11/19（木）)" in ja["quote_due"]
    assert "伊藤太郎 (Q0004940, 2026/11/25（水）以降は無連絡扱い)" in ja["follow_up"]
    assert "佐藤Ken (Q0004971, お断り判定 2026/11/20（金）)" in ja["refusals"]
    assert "吉田Ken (Q0004863, call 2026/11/26 (Thu))" in en["upcoming"]
    assert "松本誠 (Q0004649, 実行日 2026/11/24（火）)" in ja["eligible"]
    for cells in (ja, en):
        assert not [items for items in cells.values() if "—" in items]
    assert not re.search(r"Q\d{7}, \d", " ".join(en.values()))  # every date is named first


def test_an_item_without_the_list_s_date_shows_none() -> None:
    """An item whose list date is blank shows its name and ID only, never "—"."""
    frame = pd.DataFrame(
        {
            "inquiry_id": ["Q1", "Q2"],
            "requested_for": [None, "2026-11-30"],
            "requested_date": [pd.NaT, pd.Timestamp("2026-11-30")],
            "quote_due_date": [pd.NaT, pd.Timestamp("2026-11-24")],
        }
    )
    lists = {name: frame.head(0) for name in STAFF_LISTS} | {"quote_due": frame, "upcoming": frame}
    dates = digest.item_dates(lists, "en", load_settings())
    assert dates["quote_due"] == {"Q1": "", "Q2": "quote due 2026/11/24 (Tue)"}
    assert dates["upcoming"] == {"Q1": "", "Q2": "call 2026/11/30 (Mon)"}


def test_an_empty_silence_row_says_why(pages: dict[str, str]) -> None:
    """Both weeks' quotes are younger than silence_days (7): "Quotes old enough to judge" is 0 and
    "Silent after quote" is —, and a note under the table says why, with the 7 days."""
    for lang, words in (
        ("en", "quotes younger than 7 days cannot be judged yet"),
        ("ja", "見積から7日たっていない見積は、お客様がまだ返信する可能性があるため判定できません"),
    ):
        html = pages[lang]
        assert re.search(r'data-metric="judged_quotes" data-value="0"', html)
        [wait] = re.findall(r'<p class="note" data-note="silence_wait">([^<]*)</p>', html)
        assert words in unescape(wait)
