"""Words are data until shown: what is stored or raised carries a code and parameters, and the
reader's language words it from pipelines/i18n/ at display time (no English read back)."""

from __future__ import annotations

import pytest

from pipelines import i18n
from pipelines.readers import FileRefused


def test_a_refusal_is_worded_from_its_code_and_parameters() -> None:
    exc = FileRefused("log.csv", code="NUL_BYTES", line=7)
    assert i18n.refusal_text(exc, "en") == "log.csv: " + exc.problem
    assert (
        i18n.refusal_text(exc, "ja")
        == "log.csv: NULバイトを含みます（7行目）。CSVではなくバイナリファイルです"
    )


def test_a_changed_english_template_still_gives_the_japanese_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Changing an English sentence cannot make the Japanese page fall back to English."""
    entry = dict(i18n.STRINGS["refused.LIMIT_ROWS"])
    entry["en"] = "too many rows: the limit is {limit:,} (max_rows), reworded"
    monkeypatch.setitem(i18n.STRINGS, "refused.LIMIT_ROWS", entry)
    exc = FileRefused("big.csv", code="LIMIT_ROWS", limit=1_000_000)
    assert (
        i18n.refusal_text(exc, "ja")
        == "big.csv: データ行が上限1,000,000行を超えています（max_rows）"
    )
    assert i18n.refusal_text(exc, "en") == (
        "big.csv: too many rows: the limit is 1,000,000 (max_rows), reworded"
    )


def test_a_refusal_without_code_parameters_is_shown_as_raised() -> None:
    exc = FileRefused("odd.csv", "something the caller worded")
    assert i18n.refusal_text(exc, "ja") == "odd.csv: something the caller worded"
