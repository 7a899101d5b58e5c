"""pipelines.jptext: the one home of the NFKC fold, the blank set and era years."""

from __future__ import annotations

import duckdb
import pytest

from pipelines import jptext
from pipelines.definitions import sql_text


@pytest.mark.parametrize(
    ("text", "year"),
    [("2026", 2026), ("令和8", 2026), ("R8", 2026), ("r 8", 2026), ("令和元", 2019),
     ("平成31", 2019), ("H31", 2019), ("平成元", 1989)],
)  # fmt: skip
def test_era_year(text: str, year: int) -> None:
    assert jptext.era_year(text) == year


def test_era_year_refuses_other_text() -> None:
    with pytest.raises(ValueError, match="not a year"):
        jptext.era_year("昭和60")


def test_folds() -> None:
    assert jptext.match_fold("ＡＢＣ１２３ｶﾅ") == "abc123カナ"
    assert jptext.case_fold("Straße") == "strasse"
    assert jptext.drop_zero_width("a\u200bb\ufeff") == "ab"
    assert jptext.search_compact("03-1234 5678ー") == "0312345678"


def test_blank_set_covers_spaces_ideographic_space_tabs_breaks_and_zero_width() -> None:
    for ch in (" ", "\u3000", "\t", "\n", "\r", "\u200b", "\ufeff", "\xa0"):
        assert jptext.is_blank(ch * 3)
    assert not jptext.is_blank("\u3000a")
    assert jptext.is_blank(None)


def test_sql_sets_are_the_same_as_jptext() -> None:
    """parse.sql spells the two sets in SQL; they must be jptext's."""
    con = duckdb.connect()
    con.create_function("nfkc", jptext.nfkc_arrow, ["VARCHAR"], "VARCHAR", type="arrow")
    con.execute(sql_text("parse.sql"))
    ws, zw = con.execute("SELECT ws_chars(), zw_chars()").fetchone()
    assert (ws, zw) == (jptext.WHITESPACE, jptext.ZERO_WIDTH)
