"""Japanese text, one home: the NFKC fold, the blank and white-space sets, and era years.

Used by the readers, the column recognition, the mailbox import, the message reader and the text
functions SQL calls (text_clean, and the search's character class). parse.sql cannot import Python:
its ws_chars() and zw_chars() macros spell the same two sets, and a test checks that they agree.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # NumPy and Arrow load with the first vectorised call, not with the text rules
    import pyarrow as pa

# Zero-width characters (ZERO WIDTH SPACE, NON-JOINER, JOINER, WORD JOINER, BOM): invisible, so never
# part of a header, an event kind or an ID.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# White space of every kind (what str.isspace() accepts, less the ASCII file/group/record/unit
# separators): spaces, U+3000 (ideographic space), tabs and line breaks.
WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# A value made only of these is blank.
BLANK_CHARS = WHITESPACE + ZERO_WIDTH
# What a search ignores in IDs and phone numbers: white space, hyphens and dashes, the long vowel
# mark (a regular expression class valid in Python and in DuckDB's RE2).
SEARCH_SEPARATORS = r"[\s\-‐‑–—−ー]"

_DROP_ZERO_WIDTH = str.maketrans("", "", ZERO_WIDTH)
# Japanese eras a date may be written in: first letter (kanji or Latin) -> the year before year 1.
ERA_BASE = {"令": 2018, "R": 2018, "平": 1988, "H": 1988}
# A year as written: 2026, 令和8, R8, 平成31, H31, 令和元 (after NFKC; Latin letters in either case).
YEAR_PATTERN = r"\d{4}|(?:令和|平成|R|H)\s*(?:\d{1,2}|元)"


def nfkc(text: str) -> str:
    """NFKC: full-width letters and digits to ASCII, half-width kana to full width."""
    return unicodedata.normalize("NFKC", text)


def match_fold(text: str) -> str:
    """NFKC and lower case: text folded for matching (as SQL's match_fold())."""
    return unicodedata.normalize("NFKC", text).lower()


def case_fold(text: str) -> str:
    """NFKC and Unicode case folding: for matching phrases a person typed."""
    return unicodedata.normalize("NFKC", text).casefold()


def drop_zero_width(text: str) -> str:
    """The text without zero-width characters."""
    return text.translate(_DROP_ZERO_WIDTH)


def is_blank(value: str | None) -> bool:
    """True for None and for text made only of white space and zero-width characters."""
    return value is None or not value.strip(BLANK_CHARS)


def nfkc_arrow(values: object) -> object:
    """NFKC of every value of an Arrow text array or chunked array (the SQL function nfkc())."""
    import pyarrow.compute as pc

    return pc.utf8_normalize(values, form="NFKC")


def era_year(text: str) -> int:
    """The Western year of '2026', '令和8', 'R8', '平成31', 'H31' or '令和元' (ValueError otherwise)."""
    text = text.upper().replace(" ", "")
    if text.isdigit():
        return int(text)
    base = ERA_BASE.get(text[:1])
    if base is None:
        raise ValueError(f"not a year: {text!r}")
    number = 1 if text.endswith("元") else int(re.sub(r"\D", "", text))
    return base + number


def search_compact(folded: str) -> str:
    """A folded search text without the separators a search ignores (SEARCH_SEPARATORS)."""
    return re.sub(SEARCH_SEPARATORS, "", folded)


_ZW_RE = "[" + ZERO_WIDTH + "]"


def _holds_zero_width(values: pa.Array) -> bool:
    """Whether any value of an Arrow string array holds a zero-width character (a byte search:
    E2 80 8B-8D, E2 81 A0, EF BB BF)."""
    import numpy as np

    data = values.buffers()[2]
    if data is None:
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    if len(raw) < 3:
        return False
    leads = np.flatnonzero((raw[:-2] == 0xE2) | (raw[:-2] == 0xEF))
    if not len(leads):
        return False
    lead, second, third = raw[leads], raw[leads + 1], raw[leads + 2]
    e2 = (lead == 0xE2) & (
        ((second == 0x80) & (third >= 0x8B) & (third <= 0x8D))
        | ((second == 0x81) & (third == 0xA0))
    )
    ef = (lead == 0xEF) & (second == 0xBB) & (third == 0xBF)
    return bool((e2 | ef).any())


def text_clean(values: object) -> object:
    """Text without zero-width characters and surrounding white space ('' when nothing is left).

    Vectorised (an Arrow text array or chunked array in, the same out), for DuckDB as the function
    text_clean() (pipelines.readers.register_functions). DuckDB evaluates a function's annotations
    when it registers it: these name no Arrow type, so that Arrow loads only when it runs.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    if any(_holds_zero_width(chunk) for chunk in chunks):
        values = pc.replace_substring_regex(values, _ZW_RE, "")
    return pc.utf8_trim(values, BLANK_CHARS)
