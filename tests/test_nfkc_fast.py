"""nfkc_fast() skips the Python nfkc() for text NFKC leaves alone, and never gives another result.

The loader folds every message, name and contact through it (match_fold, name_fold, jp_fold).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from pipelines.definitions import prepare
from pipelines.nfkc_ranges import RANGES, compute_ranges
from pipelines.settings import load_settings
from tests.urgency_corpus import load_corpus


@pytest.mark.slow
def test_the_stored_ranges_are_what_this_python_and_arrow_compute() -> None:
    """After an upgrade of Python or pyarrow (new Unicode data), regenerate RANGES."""
    assert compute_ranges() == RANGES


def _texts() -> list[str]:
    bmp = [chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c <= 0xDFFF]
    return [
        *bmp,
        *("か" + c for c in bmp),  # a character that may join the one before it
        *("\u1100" + c for c in bmp[::7]),  # after a Hangul leading jamo
        "か\u3099",
        "ｶﾞｲﾄﾞ",
        "\u1100\u1161\u11a8",
        "（株）山田　太郎",
        "①明日１０時に",
        "ＡＢＣ－１２３",
        "e\u0301",
        "\U0001d400\U00020000",
        *(row["message"] for row in load_corpus()),
    ]


def test_nfkc_fast_equals_nfkc_on_every_character_and_the_corpus() -> None:
    con = duckdb.connect()
    prepare(con, load_settings(), sql_files=("parse.sql",))
    texts = pa.table({"s": pa.array(_texts(), pa.string())})  # noqa: F841 - read by name
    [(total, differ, skipped)] = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE nfkc_fast(s) IS DISTINCT FROM nfkc(s)), "
        "count(*) FILTER (WHERE NOT regexp_matches(s, getvariable('nfkc_changeable'))) FROM texts"
    ).fetchall()
    assert total > 100_000
    assert differ == 0
    assert skipped > total // 2  # most text skips the Python function
