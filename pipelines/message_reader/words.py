"""The reader's words and types: settings words, the reading, text normalisation and candidate words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from zoneinfo import ZoneInfo

from pipelines.reader_words import reading_fold as _norm


def _dictionary_version() -> str:
    try:
        return metadata.version("sudachidict-core")
    except metadata.PackageNotFoundError:  # pragma: no cover - an install problem
        return "missing"


# The rules' version and the dictionary's: a new dictionary can tokenise differently, so readings
# stored with another version are read again (1.1.1: a sentence-final あさって is the day 明後日).
READER_VERSION = f"1.1.1+sudachidict-core.{_dictionary_version()}"

JAPAN = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class MessageReading:
    """What one message says about when the call should be made."""

    message_date: date | None
    asap: bool
    urgent_evidence: str | None
    staff_attributes: tuple[str, ...]


EMPTY_READING = MessageReading(None, False, None, ())


def is_urgent(reading: MessageReading, received_date: date, min_lead_days: int) -> bool:
    """asap, or message_date fewer than min_lead_days days after received_date."""
    if reading.asap:
        return True
    if reading.message_date is None:
        return False
    return (reading.message_date - received_date).days < min_lead_days


# --------------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------------


def _norm_mapped(text: str) -> tuple[str, range | list[int]]:
    """NFKC + lower case, with the index in `text` of every character of the result."""
    norm = _norm(text)
    if len(norm) == len(text):  # one character for one (full-width digits, kana …)
        return norm, range(len(text))
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch < "\x80":
            out.append(ch.lower())
            index.append(i)
            continue
        n = _norm(ch)
        if n and unicodedata.combining(n[0]) and out:
            merged = unicodedata.normalize("NFC", out[-1] + n[0])
            if len(merged) == 1:
                out[-1] = merged
                n = n[1:]
        for c in n:
            out.append(c)
            index.append(i)
    return "".join(out), index


def _evidence(sentence: str, index: Sequence[int], nb: int, ne: int) -> str:
    a = index[nb]
    b = index[ne - 1] + 1
    return sentence[a:b].strip()


_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Sentences: split at 。！？ and line breaks (kept with the sentence), and at a '.' followed by space.
_SENTENCE = re.compile(
    r"(?:[^\n\r。｡．！？!?;；.]|\.(?!\s|$))+[。｡．！？!?;；.]*|[。｡．！？!?;；.]+"
)

# Candidate words: a message with none of these is read no further.
_JA_CANDIDATES = (  # factored by first character: Python's re scans this ~1.5x faster
    r"今(?:日|夜|晩|朝|すぐ|から|電話|連絡)|本日|即日|明(?:日|朝|晩|後日|々後日)|あ(?:さって|した|す|と)|"
    r"しあさって|しきゅう|きょう|こん(?:や|ばん)|けさ|いま(?:すぐ|から|電話|連絡)|これから|すぐ|直ち|ただち|"
    r"急|いそ(?:ぎ|い)|早く|はやく|曜|asap|urgent|[0-9〇一二三四五六七八九十百数]\s*(?:時間|分|日|週間|月|/)|"
    r"翌|次の日|つぎの日|明くる日|あくる日"
)
_EN_MONTHS = r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_EN_CANDIDATES = (
    r"(?:today|tonight|tomorrow|tmrw|tmr|tomorow|tommorr?ow|2morrow|asap|a\.s\.a\.p|"
    r"urgent|urgently|urgency|emergency|immediately|right away|straight away|at once|now|eod|"
    r"this\s+(?:morning|afternoon|evening)|as soon as|hours?|hrs?|minutes?|mins?|days?|weeks?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"january|february|march|april|june|july|august|september|october|november|december|"
    rf"{_EN_MONTHS}|may\s+\d|\d{{1,2}}(?:st|nd|rd|th)|\d+\s*h)(?![a-z])|\d\s*/\s*\d"
)
_ASCII_LETTER = re.compile(r"[a-z]")


# --------------------------------------------------------------------------------------------------
# Findings: what a phrase says, before it is resolved against the received time
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Finding:
    kind: str  # haste | now | hours | days | ymd | dom | weekday
    a: float = 0
    b: int = 0
    c: int = 0
    mode: str = ""
    pos: int = 0  # position in the original message (for order)
    evidence: str = ""
    shift: int = 0  # days counted from the day above (明日の翌日, "the day after Friday")
    # "": counts; "base": a day that was negated or remarked on, kept only as the day a later
    # "the day after" counts from; "next": b days after the last day named before it (resolved
    # across sentences by the reader; mode "from_received" counts from the received day if none)
    role: str = ""


@dataclass(frozen=True)
class _Parsed:
    findings: tuple[_Finding, ...]
    staff: tuple[str, ...]
    time_dependent: bool
    empty: MessageReading


_WEEKDAYS = {
    "月": 0,
    "火": 1,
    "水": 2,
    "木": 3,
    "金": 4,
    "土": 5,
    "日": 6,
}
_EN_WEEKDAYS = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_EN_MONTH_NUM = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
