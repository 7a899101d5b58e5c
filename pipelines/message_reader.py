"""The message reader: when does the customer want the call made?

One customer message (Japanese or English) and its received time go in; out comes the day the message
names for the call (``message_date``), whether it asks for the call now or within hours (``asap``), the
words that decided it (``urgent_evidence``) and any requested staff attributes. The SQL layer stores
these at load time and decides ``urgent`` against ``min_lead_days`` (see :func:`is_urgent`).

How it reads (details and the decisions where the SPEC is silent: ``docs/message-reading.md``):

1. **Normalise** with NFKC and lower case (full-width digits and letters, half-width kana).
2. **Prefilter** with one regular expression of candidate words (今日, 明日, あす, 至急, N時間, 曜,
   today, ASAP, hours …). Most messages contain none and cost one regex search; identical texts are
   read once (:func:`read_many`).
3. **Japanese sentences** that contain a candidate are tokenised with SudachiPy (sudachidict-core,
   split mode C). Sudachi's normalised forms make kana and kanji the same word (きょう = 今日,
   あした/あす = 明日, すぐ = 直ぐ), turn kanji numerals into digits (二十三 → 23, 十五分 → 15 分), and its
   word boundaries keep names and other words apart (明日香, あすなろ, 今日子, きょうだい are one token
   each and never read as a day). Compact rules then run over the token stream, joined as
   ``|form|form|`` so that every pattern matches whole tokens only.
4. **English sentences** are read by a compact rule set over the normalised text (number words, "a
   couple of", "half an hour", weekdays, month names, M/D).
5. Every phrase found is checked in its **clause** (sentences split at 。!? and clauses at が/けど/ので/
   から, or commas and "but" in English): negation that follows it (ではない, ではありません,
   でなくても, 急ぎません, 無理, isn't, no need to …), an open window (明日以降, after the 15th), haste about
   the quote rather than the call (見積もり, 料金, 返信, quote, price, reply with no call word), and whether
   the clause asks for something at all (お願い, ください, ほしい, たい, ～て, ？, please, can you …) rather
   than remarking on the day (今日は雨ですが, 本日はご連絡しました, today is my day off).
6. The phrases that stand are **resolved** against the received time: dates are absolute (a "2時間後"
   received at 23:30 names the next day), the earliest named day wins, and haste (至急, ASAP) counts as
   ``asap`` only when no later day is named.

Why this stack: a phrase list cannot tell 明日 from 明日香 or きょう from きょうだい, and a tokenizer can.
SudachiPy (Rust core) tokenises a 20–40 character sentence in ~15 µs, its dictionary ships as the
``sudachidict-core`` package (nothing is downloaded at run time), and its normalised forms cover kana
and kanji numerals, so kanjize is not needed. ja-timex was evaluated and not used: ~3,500 messages a
second, it reads neither 数時間後 nor きょう中 and it pins a beta of pendulum. Speed comes from reading
little: a calm message costs one regex search (~3 µs); identical texts and sentences are read once;
only sentences with a candidate word are tokenised (~40–60 µs each with the rules). At a million
mostly-distinct messages that is ~10 s of one core in Python alone; a loader should first drop calm
rows with :func:`prefilter_pattern` in DuckDB (RE2, parallel) and store readings so that a reload
reads only new texts. ``benchmarks/reader_bench.py`` prints the figures.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import re
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


def _dictionary_version() -> str:
    try:
        return metadata.version("sudachidict-core")
    except metadata.PackageNotFoundError:  # pragma: no cover - an install problem
        return "missing"


# The rules' version and the dictionary's: a new dictionary can tokenise differently, so readings
# stored with another version are read again.
READER_VERSION = f"1.0.0+sudachidict-core.{_dictionary_version()}"

JAPAN = ZoneInfo("Asia/Tokyo")

DEFAULT_STAFF_ATTRIBUTE_PHRASES: tuple[str, ...] = (
    "低い声の男性",
    "男性の低い声",
    "低い声",
    "高い声",
    "落ち着いた声",
    "男性スタッフ",
    "女性スタッフ",
    "男性の声",
    "女性の声",
    "男性の方",
    "女性の方",
    "年配の男性",
    "年配の女性",
    "年配の",
    "若い男性",
    "若い女性",
    "関西弁",
    "標準語",
    "俳優",
    "役者",
    "male voice",
    "female voice",
    "low voice",
    "deep voice",
    "male staff",
    "female staff",
    "older man",
    "older woman",
    "young man",
    "young woman",
    "actor",
)


@dataclass(frozen=True)
class ReaderWords:
    """Words an office can extend from its settings file."""

    extra_urgent_phrases: tuple[str, ...] = ()
    extra_negations: tuple[str, ...] = ()
    staff_attribute_phrases: tuple[str, ...] = DEFAULT_STAFF_ATTRIBUTE_PHRASES

    def fingerprint(self) -> str:
        """A stable short hash of the words, stored with each reading."""
        payload = json.dumps(
            [
                list(self.extra_urgent_phrases),
                list(self.extra_negations),
                list(self.staff_attribute_phrases),
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


_WORD_KEYS = {
    "extra_urgent_phrases": "phrases that ask for the call now (read like 至急)",
    "extra_negations": "phrases that cancel an urgent phrase or a day in the same clause",
    "staff_attribute_phrases": "requested staff attributes (replaces the defaults)",
    "extra_staff_attribute_phrases": "requested staff attributes added to the defaults",
}


def _phrase_list(value: object, key: str, source: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(
            f"{source}: message.{key} must be a list of strings, got {type(value).__name__}"
        )
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ValueError(
                f"{source}: message.{key}[{i}] must be a string, got {type(item).__name__} {item!r}"
            )
        phrase = item.strip()
        if not phrase:
            raise ValueError(f"{source}: message.{key}[{i}] is empty")
        if len(phrase) > 60:
            raise ValueError(
                f"{source}: message.{key}[{i}] is longer than 60 characters: {phrase[:20]!r}…"
            )
        if len(_norm(phrase)) < 2 and not re.search(r"[\u3400-\u9fff]", phrase):
            raise ValueError(
                f"{source}: message.{key}[{i}] {phrase!r} is too short to read safely (one kana or letter)"
            )
        out.append(phrase)
    return tuple(dict.fromkeys(out))


def words_from_table(table: Mapping[str, object], source: str) -> ReaderWords:
    """Validate the [message] table of a settings TOML file; raise ValueError naming `source`, the key and the problem."""
    if not isinstance(table, Mapping):
        raise ValueError(f"{source}: [message] must be a table, got {type(table).__name__}")
    unknown = sorted(set(table) - set(_WORD_KEYS))
    if unknown:
        known = ", ".join(sorted(_WORD_KEYS))
        raise ValueError(f"{source}: message.{unknown[0]} is not a known setting (known: {known})")
    urgent = _phrase_list(table.get("extra_urgent_phrases", []), "extra_urgent_phrases", source)
    negations = _phrase_list(table.get("extra_negations", []), "extra_negations", source)
    staff = DEFAULT_STAFF_ATTRIBUTE_PHRASES
    if "staff_attribute_phrases" in table:
        staff = _phrase_list(table["staff_attribute_phrases"], "staff_attribute_phrases", source)
    if "extra_staff_attribute_phrases" in table:
        extra = _phrase_list(
            table["extra_staff_attribute_phrases"], "extra_staff_attribute_phrases", source
        )
        staff = tuple(dict.fromkeys(staff + extra))
    clash = sorted(set(map(_norm, urgent)) & set(map(_norm, negations)))
    if clash:
        raise ValueError(
            f"{source}: message.extra_urgent_phrases and message.extra_negations both contain {clash[0]!r}"
        )
    return ReaderWords(
        extra_urgent_phrases=urgent, extra_negations=negations, staff_attribute_phrases=staff
    )


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

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u301c": "~"})


def _norm(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text).lower()
    if "\u2019" in norm or "\u2018" in norm or "\u02bc" in norm or "\u301c" in norm:
        norm = norm.translate(_APOSTROPHES)
    return norm


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


_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Sentences: split at 。！？ and line breaks (kept with the sentence), and at a '.' followed by space.
_SENTENCE = re.compile(
    r"(?:[^\n\r。｡．！？!?;；.]|\.(?!\s|$))+[。｡．！？!?;；.]*|[。｡．！？!?;；.]+"
)

# Candidate words: a message with none of these is read no further.
_JA_CANDIDATES = (  # factored by first character: Python's re scans this ~1.5x faster
    r"今(?:日|夜|晩|朝|すぐ|から|電話|連絡)|本日|即日|明(?:日|朝|晩|後日|々後日)|あ(?:さって|した|す|と)|"
    r"しあさって|しきゅう|きょう|こん(?:や|ばん)|けさ|いま(?:すぐ|から|電話|連絡)|これから|すぐ|直ち|ただち|"
    r"急|いそ(?:ぎ|い)|早く|はやく|曜|asap|urgent|[0-9〇一二三四五六七八九十百数]\s*(?:時間|分|日|週間|月|/)"
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


# --------------------------------------------------------------------------------------------------
# Japanese: Sudachi tokens and rules over the token stream
# --------------------------------------------------------------------------------------------------

_local = threading.local()  # a Sudachi tokenizer is not shared between threads
_dictionary = None
_pos_cache: dict[int, tuple[str, str]] = {}

# Kana spellings Sudachi leaves as they are, mapped to the kanji the rules use.
_KANA = {
    "いま": "今",
    "あさって": "明後日",
    "しあさって": "明明後日",
    "明々後日": "明明後日",
    "しきゅう": "至急",
    "いそぎ": "急ぎ",
    "ただちに": "直ちに",
    "さっきゅう": "早急",
    "そうきゅう": "早急",
    "ほんじつ": "本日",
    "こんばん": "今晩",
    "みょうにち": "明日",
    "あと": "あと",
}


def _get_tokenizer() -> Any:
    """This thread's Sudachi tokenizer (split mode C) over the sudachidict-core dictionary."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        global _dictionary
        try:
            from sudachipy import Dictionary, SplitMode
        except ImportError as exc:  # pragma: no cover - an install problem, not a reading
            raise RuntimeError(
                "the message reader needs SudachiPy and its dictionary: "
                "pip install sudachipy sudachidict-core"
            ) from exc
        if _dictionary is None:
            _dictionary = Dictionary(dict="core")
        tok = _local.tokenizer = _dictionary.tokenizer(SplitMode.C)
    return tok


@dataclass(frozen=True)
class _Tokens:
    forms: tuple[str, ...]
    pos0: tuple[str, ...]
    pos1: tuple[str, ...]
    begin: tuple[int, ...]
    end: tuple[int, ...]
    stream: str  # "|form|form|…|"
    bars: tuple[int, ...]  # index in stream of the bar before each token


@lru_cache(maxsize=65536)
def _tokenize(sentence: str) -> _Tokens:
    """Sudachi tokens of a normalised sentence (split mode C), as the rules read them."""
    rows = []
    at = 0
    pos_cache = _pos_cache
    kana = _KANA
    for m in _get_tokenizer().tokenize(sentence.replace("|", "¦")):
        surface = m.surface()
        n = len(surface)
        pid = m.part_of_speech_id()
        pos = pos_cache.get(pid)
        if pos is None:
            p = m.part_of_speech()
            pos = pos_cache[pid] = (p[0], p[1])
        if pos[0] != "空白":
            rows.append((kana.get(surface) or m.normalized_form(), pos[0], pos[1], at, at + n))
        at += n
    if not rows:
        return _Tokens((), (), (), (), (), "||", ())
    forms, pos0, pos1, begin, end = zip(*rows, strict=True)
    stream = "|" + "|".join(forms).lower() + "|"
    forms = tuple(stream[1:-1].split("|"))
    bars = []
    mark = 0
    for f in forms:
        bars.append(mark)
        mark += len(f) + 1
    return _Tokens(forms, pos0, pos1, begin, end, stream, tuple(bars))


_DAY_WORDS = {
    "今日": 0,
    "本日": 0,
    "今夜": 0,
    "今晩": 0,
    "今朝": 0,
    "即日": 0,
    "明日": 1,
    "明朝": 1,
    "明晩": 1,
    "明後日": 2,
    "明明後日": 3,
}
_JA_WD = r"(?P<wd>[月火水木金土日])曜(?:日)?"

# (name, pattern) in priority order; a later match that overlaps an earlier one is ignored.
_JA_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "days",
        re.compile(r"(?:\|今\|から)?\|(?P<n>\d+)\|(?P<u>日|週間)\|(?P<rel>後|以内|内)(?=\|)"),
    ),
    (
        "hours",
        re.compile(
            r"(?:\|今\|から)?(?:\|(?P<n>\d+(?:\.\d+)?|数|数十)\|(?P<u>時間|分)|\|(?P<few>数時間|数分|数十分))"
            r"(?:\|(?P<half>半))?(?:\|(?:程|ほど|位|くらい|ぐらい|程度))?"
            r"\|(?:後|以内|内|経つ\|た|為る\|た)(?=\|)"
            r"|\|あと\|(?P<n2>\d+(?:\.\d+)?|数)\|(?P<u2>時間|分)(?:\|(?P<half2>半))?(?=\|)"
        ),
    ),
    (
        "ymd",
        re.compile(
            r"(?:(?:\|(?P<era>令和))?\|(?P<y>\d+)\|年(?:\|の)?)?\|(?P<m>\d+)\|月(?:\|の)?\|(?P<d>\d+)\|日(?=\|)"
        ),
    ),
    (
        "ymd",
        re.compile(r"(?:\|(?P<y>\d{4})\|/)?\|(?P<m>\d{1,2})\|/\|(?P<d>\d{1,2})(?=\|)(?!\|/)"),
    ),
    (
        "dom",
        re.compile(
            r"(?:\|(?P<rel>今月|来月|再来月)(?:\|の)?)?\|(?P<d>\d+)\|日(?=\|)"
            r"(?!\|(?:後|間|以内|内|中|前|ぶり|目|分|連続|付け|付|当たり|あたり|に\|何))"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?:\|(?P<rel>今週|来週|再来週|今度|次|この|此の)(?:\|の)?)?\|"
            + _JA_WD
            + r"(?:\|(?:か|や|・|又は|若しくは|もしくは|、|と)\|(?P<wd2>[月火水木金土日])曜(?:日)?)?(?=\|)"
        ),
    ),
    ("day", re.compile(r"\|(?P<w>" + "|".join(_DAY_WORDS) + r")(?=\|)")),
    (
        "now",
        re.compile(
            r"\|今\|(?:直ぐ|から)(?=\|)|\|此れ\|から(?=\|)(?!\|も)|\|直ぐ(?=\|)|\|直ちに(?=\|)"
            r"|\|今(?=\|(?:電話|連絡|掛ける|かける))"
        ),
    ),
    (
        "haste",
        re.compile(
            r"\|(?:至急|大至急|早急|緊急|急用|急ぎ|急ぐ|即刻|asap|urgent)(?=\|)"
            r"|\|(?:成る可く|出来るだけ|出来る\|だけ|可能\|だ\|限り|一刻\|も)\|早い(?=\|)"
        ),
    ),
]


def _combine(rules: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str]:
    """One alternation of the rules, in priority order: group R<i> is rule i, its groups r<i>_<name>."""
    parts = []
    for i, (_, rx) in enumerate(rules):
        body = rx.pattern.replace("(?P<", f"(?P<r{i}_")
        parts.append(f"(?P<R{i}>{body})")
    return re.compile("|".join(parts))


def _rule_groups(m: re.Match[str]) -> tuple[int, dict[str, str | None]]:
    """The rule index of a match of a combined pattern, and its groups without the prefix."""
    i = int(m.lastgroup[1:])  # type: ignore[index]
    prefix = f"r{i}_"
    groups = {k[len(prefix) :]: v for k, v in m.groupdict().items() if k.startswith(prefix)}
    return i, groups


_JA_COMBINED = _combine(_JA_RULES)

_FILLERS = frozenset(
    [
        "の",
        "用件",
        "件",
        "用事",
        "事",
        "こと",
        "案件",
        "話",
        "依頼",
        "御願い",
        "連絡",
        "電話",
        "中",
        "に",
        "で",
        "だ",
        "は",
        "も",
        "が",
        "と",
        "言う",
        "特に",
        "別に",
        "そんなに",
        "其れ程",
        "それほど",
        "然程",
        "さほど",
        "程",
        "ほど",
        "必要",
        "有る",
        "居る",
        "おる",
        "て",
        "為る",
        "ます",
        "訳",
        "わけ",
        "限る",
        "都合",
        "そこまで",
        "迄",
        "まで",
        "御座る",
        "です",
        "全然",
        "全く",
        "余り",
        "あまり",
        "今",
        "直ぐ",
        "連絡",
        "お",
        "御",
    ]
)
_NEGATORS = frozenset(
    [
        "無い",
        "ない",
        "ず",
        "ぬ",
        "無理",
        "不要",
        "駄目",
        "だめ",
        "ダメ",
        "難しい",
        "厳しい",
        "悪い",
        "不可",
        "無用",
    ]
)
_OPEN_AFTER = frozenset(["以降", "以後", "以外", "過ぎ", "から", "より"])
# Substrings of token forms (compounds such as 追加料金 or 電話連絡 are one token in mode C).
_QUOTE_WORDS = re.compile(r"見積|料金|費用|金額|値段|価格|返信|返事|回答|代金")
_CALL_WORDS = re.compile(r"電話|架電|連絡|伝える|掛ける|かける|コール|言う|話す|通知|知らせる")
_REQUEST_WORDS = frozenset(
    [
        "願う",
        "御願い",
        "お願い",
        "下さる",
        "欲しい",
        "頂く",
        "頂ける",
        "貰う",
        "貰える",
        "呉れる",
        "頼む",
        "頼める",
        "依頼",
        "希望",
        "助かる",
        "嬉しい",
        "幸い",
        "大丈夫",
        "構う",
        "結構",
        "ok",
        "良い",
        "可能",
        "宜しい",
        "宜しく",
        "たい",
        "行ける",
        "出来る",
        "致す",
        "是非",
        "ぜひ",
        "存ずる",
        "申し訳",
        "恐縮",
        "済む",
    ]
)
_ANCHORS = frozenset(
    ["午前", "午後", "午前中", "夕方", "朝", "夜", "昼", "夕", "時", "朝一", "夜間"]
)
_GREETING = frozenset(["宜しく", "有り難う", "ありがとう", "御世話"])
_PREDICATE_POS = frozenset(("動詞", "形容詞", "助動詞", "形状詞"))
_CLAUSE_BREAK = frozenset(
    ("が", "けど", "けれど", "けれども", "のに", "し", "ので", "から", "ながら")
)


def _clause(t: _Tokens, k: int, j: int) -> tuple[int, int]:
    """Token range of the clause around tokens k..j (split at が、けど、ので、から … )."""

    def is_break(i: int) -> bool:
        f = t.forms[i]
        if t.pos1[i] == "接続助詞" and f in _CLAUSE_BREAK:
            return True
        # のでjoined as の(準体) + で(だ): "休みなので"
        return (
            f == "だ"
            and i > 0
            and t.forms[i - 1] == "の"
            and t.pos1[i - 1] == "準体助詞"
            and t.end[i] == t.begin[i] + 1
        )

    start = k
    while start > 0 and not is_break(start - 1):
        start -= 1
    stop = j
    n = len(t.forms)
    while stop < n and not is_break(stop):
        stop += 1
    if stop < n:
        stop += 1  # the conjunction belongs to its clause
    return start, stop


def _ja_negated(t: _Tokens, j: int, stop: int) -> bool:
    for i in range(j, min(stop, j + 10)):
        f = t.forms[i]
        if f in _NEGATORS:
            return True
        if f in _FILLERS or (t.pos1[i] in ("係助詞", "格助詞") and f in ("は", "も", "で", "に")):
            continue
        return False
    return False


def _ja_open_window(t: _Tokens, j: int) -> bool:
    """明日以降, 明日の夕方以降, 来週の月曜日以外: the day opens a range instead of naming the call day."""
    n = len(t.forms)
    while j < n and (
        t.forms[j] in ("の", "中", "頃", "ごろ", "時", "分", "半")
        or t.forms[j] in _ANCHORS
        or t.pos1[j] == "数詞"
    ):
        j += 1
    if j >= n:
        return False
    nxt = t.forms[j]
    return nxt in _OPEN_AFTER and not (nxt == "から" and t.pos1[j] != "格助詞")


def _ja_relevant(t: _Tokens, k: int, j: int, cs: int, ce: int, inherent: bool) -> bool:
    """Is the phrase at k..j about when the call is made (not a remark, not the quote)?"""
    others = [i for i in range(cs, ce) if i < k or i >= j]
    forms = [t.forms[i] for i in others]
    fs = set(forms)
    joined = "|".join(forms)
    has_call = bool(_CALL_WORDS.search(joined))
    if _QUOTE_WORDS.search(joined) and not has_call:
        return False
    if inherent:
        return True
    # a request: お願い, ください, ほしい, たい, OK … or a casual て / question at the end
    has_request = bool(fs & _REQUEST_WORDS)
    tail = [i for i in others if i >= j and t.pos0[i] not in ("補助記号", "空白")]
    if tail:
        last = t.forms[tail[-1]]
        if last in ("て", "か", "よ", "ね", "な") and t.pos0[tail[-1]] == "助詞":
            has_request = True
    if t.stream.endswith(("|?|", "|??|")) or "?" in t.forms[-1:]:
        has_request = True
    # topic-marked day (今日は, 本日は, 土曜日も): a remark unless it asks for the call or names a time
    after = j
    while after < len(t.forms) and t.forms[after] == "中":
        after += 1
    topic = after < len(t.forms) and t.forms[after] in ("は", "も") and t.pos1[after] == "係助詞"
    if topic:
        if not has_request:
            return False
        if has_call:
            return True
        return bool(fs & _ANCHORS) and not (fs & _GREETING)
    if has_request:
        return True
    # a fragment ("きょう中に", "数時間後", "今すぐ!") asks by itself
    return not any(t.pos0[i] in _PREDICATE_POS for i in others)


def _evidence(sentence: str, index: Sequence[int], nb: int, ne: int) -> str:
    a = index[nb]
    b = index[ne - 1] + 1
    return sentence[a:b].strip()


def _ja_findings(
    t: _Tokens,
    sentence: str,
    index: Sequence[int],
    offset: int,
    norm: str,
    extra_urgent: tuple[str, ...],
    extra_neg: tuple[str, ...],
) -> list[_Finding]:
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, dict[str, str | None] | None, int, int]] = []
    for m in _JA_COMBINED.finditer(t.stream):
        i, groups = _rule_groups(m)
        k = bisect_left(t.bars, m.start())
        j = bisect_left(t.bars, m.end())
        taken.append((k, j))
        found.append((_JA_RULES[i][0], groups, k, j))
    for phrase in extra_urgent:
        start = norm.find(phrase)
        while start >= 0:
            stop = start + len(phrase)
            k = next((i for i, e in enumerate(t.end) if e > start), None)
            if k is not None:
                j = k
                while j < len(t.forms) and t.begin[j] < stop:
                    j += 1
                if not any(k < b and a < j for a, b in taken):
                    taken.append((k, j))
                    found.append(("extra", None, k, j))
            start = norm.find(phrase, stop)

    out: list[_Finding] = []
    for name, m, k, j in found:
        cs, ce = _clause(t, k, j)
        if _ja_negated(t, j, ce):
            continue
        if extra_neg:
            clause_text = norm[t.begin[cs] : t.end[ce - 1]]
            if any(p in clause_text for p in extra_neg):
                continue
        if name not in ("haste", "extra", "hours", "now") and _ja_open_window(t, j):
            continue
        inherent = name in ("haste", "extra")
        if not _ja_relevant(t, k, j, cs, ce, inherent):
            continue
        ev_end = j
        while ev_end < len(t.forms) and t.forms[ev_end] == "中" and name == "day":
            ev_end += 1
        ev = _evidence(sentence, index, t.begin[k], t.end[ev_end - 1])
        pos = offset + index[t.begin[k]]
        out += _ja_finding(name, m, ev, pos)
    return out


def _ja_finding(name: str, g: dict[str, str | None] | None, ev: str, pos: int) -> list[_Finding]:
    if g is None or name in ("haste", "extra"):
        return [_Finding("haste", pos=pos, evidence=ev)]
    if name == "weekday":
        mode = {
            "今週": "week0",
            "来週": "week1",
            "再来週": "week2",
            "この": "onafter",
            "此の": "onafter",
        }.get(g.get("rel") or "", "after")
        days = [g["wd"] or ""] + ([g["wd2"] or ""] if g.get("wd2") else [])
        return [_Finding("weekday", b=_WEEKDAYS[d], mode=mode, pos=pos, evidence=ev) for d in days]
    one = _ja_one_finding(name, g, ev, pos)
    return [one] if one is not None else []


def _ja_one_finding(name: str, g: dict[str, str | None], ev: str, pos: int) -> _Finding | None:
    if name == "days":
        n = int(g["n"]) * (7 if g["u"] == "週間" else 1)
        return _Finding("days", b=n, pos=pos, evidence=ev)
    if name == "hours":
        few = g.get("few")
        if few:
            hours = {"数時間": 3.0, "数分": 5 / 60, "数十分": 0.5}[few]
        else:
            num = g.get("n") or g.get("n2") or "1"
            unit = g.get("u") or g.get("u2")
            n = 3.0 if num == "数" else 30.0 if num == "数十" else float(num)
            hours = n if unit == "時間" else n / 60
        if g.get("half") or g.get("half2"):
            hours += 0.5
        return _Finding("hours", a=hours, pos=pos, evidence=ev)
    if name == "ymd":
        y = int(g["y"]) if g.get("y") else 0
        if g.get("era"):
            y = 2018 + y
        return _Finding("ymd", a=y, b=int(g["m"]), c=int(g["d"]), pos=pos, evidence=ev)
    if name == "dom":
        shift = {"今月": 0, "来月": 1, "再来月": 2}.get(g.get("rel") or "", -1)
        return _Finding("dom", b=int(g["d"]), c=shift, pos=pos, evidence=ev)
    if name == "day":
        return _Finding("days", b=_DAY_WORDS[g["w"]], pos=pos, evidence=ev)
    if name == "now":
        return _Finding("now", pos=pos, evidence=ev)
    return None


# --------------------------------------------------------------------------------------------------
# English: a compact rule set over the normalised sentence
# --------------------------------------------------------------------------------------------------

_EN_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "forty five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
    "half an": 0.5,
    "half a": 0.5,
}
_QTY = (
    r"\d+(?:\.\d+)?|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|few|several|half\s+an?|"
    r"forty[\s-]five|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|ninety"
)
_EN_WD = r"(?P<wd>mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|r|rs|urday|s)?\.?"
_EN_MON = rf"(?P<mon>{_EN_MONTHS}|may)[a-z]*\.?"
_EN_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "hours",
        re.compile(
            r"(?<![a-z0-9])(?:in|within)\s+(?:the\s+next\s+|about\s+|around\s+|approximately\s+|approx\.?\s+|"
            rf"roughly\s+|just\s+|another\s+)?(?P<q>{_QTY})\s*(?P<u>hours?|hrs?|h|minutes?|mins?)(?![a-z])"
            r"(?P<half>\s+and\s+a\s+half)?"
        ),
    ),
    (
        "hours",
        re.compile(
            rf"(?<![a-z0-9])(?P<q>{_QTY})\s*(?P<u>hours?|hrs?|h|minutes?|mins?)(?P<half>\s+and\s+a\s+half)?\s+from\s+now(?![a-z])"
        ),
    ),
    ("hour1", re.compile(r"(?<![a-z])(?:within|in)\s+the\s+(?:next\s+)?hour(?![a-z])")),
    (
        "days",
        re.compile(
            rf"(?<![a-z0-9])(?:(?:in|within)\s+(?P<q>{_QTY})\s*(?P<u>days?|weeks?)|(?P<q2>{_QTY})\s*(?P<u2>days?|weeks?)\s+from\s+now)(?![a-z])"
        ),
    ),
    (
        "wdate",
        re.compile(
            r"(?<![a-z])(?:(?:on|by|this|next)\s+)?"
            + _EN_WD
            + r",?\s+(?:the\s+)?(?:(?P<mon>"
            + _EN_MONTHS
            + r"|may)[a-z]*\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon2>"
            + _EN_MONTHS
            + r"|may)[a-z]*|(?P<m3>\d{1,2})/(?P<d3>\d{1,2})|(?P<d4>\d{1,2})(?:st|nd|rd|th))(?![a-z0-9])"
        ),
    ),
    (
        "mdate",
        re.compile(
            r"(?<![a-z])(?:(?P<pre>on|by|until|till|before|after|from|since)\s+)?(?:the\s+)?"
            + _EN_MON
            + r"\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
        ),
    ),
    (
        "mdate",
        re.compile(
            r"(?<![a-z0-9])(?:(?P<pre>on|by|until|till|before|after|from|since)\s+)?(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _EN_MON
            + r"(?![a-z])"
        ),
    ),
    ("slash", re.compile(r"(?<![\d/])(?P<m>\d{1,2})\s*/\s*(?P<d>\d{1,2})(?![\d/])")),
    (
        "dom",
        re.compile(
            r"(?<![a-z0-9])(?:(?P<pre>on|by|until|till|before|after|from|since)\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)(?![a-z])"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?<![a-z])(?:(?P<rel>this\s+coming|this|next|coming|on|by|until|till|before|after|from|since)\s+)?"
            r"(?P<wd>mon|tues|wednes|thurs|fri|satur|sun)day(?![a-z])"
            r"|(?<![a-z])(?P<rel2>this|next|on|by)\s+(?P<wd2>mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?(?![a-z])"
        ),
    ),
    (
        "day",
        re.compile(
            r"(?<![a-z])(?:(?P<pre>after|from|since|until|till)\s+)?(?P<w>the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|"
            r"later\s+today|today|tonight|this\s+(?:morning|afternoon|evening)|tomorrow|tmrw|tmr|tomorow|"
            r"tommorr?ow|2morrow|eod|end\s+of\s+(?:the\s+)?day)"
            r"(?:(?!['a-z])|(?='s\s+(?:the|a|an|my|fine|ok|okay|good|best|better|great|perfect|possible|ideal)(?![a-z])))"
        ),
    ),
    (
        "now",
        re.compile(
            r"(?<![a-z])(?:right\s+now|right\s+away|straight\s+away|at\s+once|immediately|this\s+minute)(?![a-z])"
            r"|(?<![a-z])(?<!for\s)(?<!by\s)(?<!until\s)(?<!till\s)(?<!just\s)now(?!\s+that)(?![a-z])"
        ),
    ),
    (
        "haste",
        re.compile(
            r"(?<![a-z])(?:asap|a\.s\.a\.p\.?|as\s+soon\s+as\s+(?:possible|you\s+can)|urgent(?:ly)?|urgency|emergency)(?![a-z])"
        ),
    ),
]
_EN_DAY_WORDS = {
    "today": 0,
    "later today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "eod": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "tomorow": 1,
    "tommorow": 1,
    "tommorrow": 1,
    "2morrow": 1,
}
_EN_CLAUSE_BREAK = re.compile(
    r"[,:;—–]|\s-+\s|\s(?:but|because|since|although|though|whereas|otherwise)\s"
)
_EN_NEG_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:not|no|never|nothing|without|nor)|n't)(?:\s+[^\s]+){0,4}\s*$"
)
_EN_NOT_NEG = re.compile(r"(?:no|not)\s+later\s+than\s*$|if\s+not\s*$")
_EN_NEG_AFTER = re.compile(
    r"^\s*(?:is\s+|'s\s+|would\s+be\s+|will\s+be\s+|does\s+|do\s+)?(?:not\b|never\b|n't|won't|doesn't|isn't|"
    r"can't|cannot|wouldn't|is\s+impossible|impossible|no\s+good|too\s+soon|is\s+bad)"
)
_EN_OPEN_BEFORE = re.compile(r"(?:after|from|since|starting|beyond|later\s+than)\s+(?:the\s+)?$")
_EN_QUOTE = re.compile(
    r"(?<![a-z])(?:quote|quotes|quotation|estimate|estimates|price|prices|pricing|cost|costs|fee|fees|"
    r"reply|respond|response|answer|get\s+back)(?![a-z])"
)
_EN_CALL = re.compile(
    r"(?<![a-z])(?:call|calls|calling|ring|phone|contact|tell|inform|notify|speak|talk|reach|let\s+(?:them|him|her|my))(?![a-z])"
)
_EN_REQUEST = re.compile(
    r"(?<![a-z])(?:please|pls|plz|kindly|can\s+you|could\s+you|would\s+you|will\s+you|can\s+someone|"
    r"could\s+someone|i\s+need|we\s+need|i\s+want|we\s+want|i'd\s+like|i\s+would\s+like|we'd\s+like|"
    r"we\s+would\s+like|would\s+like|is\s+fine|is\s+ok|is\s+okay|would\s+be\s+(?:fine|great|good|ideal|best|perfect|better)|"
    r"works|possible|preferably|prefer|appreciate|grateful|need\s+(?:it|this|them|the\s+call)|"
    r"want\s+(?:it|this|the\s+call))(?![a-z])"
    r"|^\s*(?:call|ring|phone|contact|tell|let|inform|notify|make|do|get|need)(?![a-z])"
)
_EN_REMARK_BEFORE = re.compile(r"(?:(?<![a-z])(?:is|was|are|were)|'s)\s+(?:on\s+)?$")
_EN_REMARK_AFTER = re.compile(
    r"^\s*(?:is|was|'s|has\s+been)\s+(?!fine|ok|okay|good|best|better|great|perfect|possible|preferred|ideal|convenient|"
    r"the\s+(?:last|final)\s+day|my\s+last\s+day|the\s+deadline)"
)


def _en_clause(norm: str, a: int, b: int) -> tuple[int, int]:
    start = 0
    for m in _EN_CLAUSE_BREAK.finditer(norm, 0, a):
        start = m.end()
    m = _EN_CLAUSE_BREAK.search(norm, b)
    return start, (m.start() if m else len(norm))


def _en_qty(q: str) -> float:
    q = re.sub(r"\s+", " ", q)
    return float(q) if q[0].isdigit() else float(_EN_NUMBERS.get(q, 1))


def _en_findings(
    norm: str,
    sentence: str,
    index: Sequence[int],
    offset: int,
    extra_urgent: tuple[str, ...],
    extra_neg: tuple[str, ...],
) -> list[_Finding]:
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, re.Match[str] | None, int, int]] = []
    for name, rx in _EN_RULES:
        for m in rx.finditer(norm):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            found.append((name, m, a, b))
    for phrase in extra_urgent:
        for m in re.finditer(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])", norm):
            a, b = m.span()
            if not any(a < y and x < b for x, y in taken):
                taken.append((a, b))
                found.append(("extra", None, a, b))
    out: list[_Finding] = []
    for name, m, a, b in found:
        cs, ce = _en_clause(norm, a, b)
        before = norm[cs:a]
        after = norm[b:ce]
        if _EN_NEG_BEFORE.search(before) and not _EN_NOT_NEG.search(before):
            continue
        if _EN_NEG_AFTER.search(after):
            continue
        clause = norm[cs:ce]
        if extra_neg and any(p in clause for p in extra_neg):
            continue
        pre = m.groupdict().get("pre") if m else None
        if pre in ("after", "from", "since") or _EN_OPEN_BEFORE.search(before):
            continue
        if m is not None and m.groupdict().get("rel") in ("after", "from", "since"):
            continue
        has_call = bool(_EN_CALL.search(clause))
        if _EN_QUOTE.search(clause) and not has_call:
            continue
        inherent = name in ("haste", "extra")
        if not inherent:
            if _EN_REMARK_AFTER.search(after) or (
                _EN_REMARK_BEFORE.search(before) and not has_call
            ):
                continue
            rest = (before + " " + after).strip(" .!?")
            words = re.findall(r"[a-z0-9']+", rest)
            is_fragment = len(words) <= 2
            bare_now = name == "now" and m is not None and m.group(0) == "now"
            if bare_now and not has_call and not set(words) <= {"please", "pls", "plz"}:
                continue
            if not (_EN_REQUEST.search(clause) or is_fragment):
                continue
        ev = _evidence(sentence, index, a, b)
        f = _en_finding(name, m, ev, offset + index[a])
        if f is not None:
            out.append(f)
    return out


def _en_finding(name: str, m: re.Match[str] | None, ev: str, pos: int) -> _Finding | None:
    if m is None or name in ("haste", "extra"):
        return _Finding("haste", pos=pos, evidence=ev)
    g = m.groupdict()
    if name == "hours":
        hours = _en_qty(g["q"])
        if g["u"].startswith("m"):
            hours /= 60
        if g.get("half"):
            hours += 0.5
        return _Finding("hours", a=hours, pos=pos, evidence=ev)
    if name == "hour1":
        return _Finding("hours", a=1.0, pos=pos, evidence=ev)
    if name == "days":
        q = g.get("q") or g.get("q2") or "1"
        u = g.get("u") or g.get("u2") or "day"
        n = int(_en_qty(q) * (7 if u.startswith("w") else 1))
        return _Finding("days", b=n, pos=pos, evidence=ev)
    if name == "wdate":
        if g.get("mon"):
            return _Finding(
                "ymd", b=_EN_MONTH_NUM[g["mon"][:3]], c=int(g["d"]), pos=pos, evidence=ev
            )
        if g.get("mon2"):
            return _Finding(
                "ymd", b=_EN_MONTH_NUM[g["mon2"][:3]], c=int(g["d2"]), pos=pos, evidence=ev
            )
        if g.get("m3"):
            return _Finding("ymd", b=int(g["m3"]), c=int(g["d3"]), pos=pos, evidence=ev)
        return _Finding("dom", b=int(g["d4"]), c=-1, pos=pos, evidence=ev)
    if name == "mdate":
        return _Finding("ymd", b=_EN_MONTH_NUM[g["mon"][:3]], c=int(g["d"]), pos=pos, evidence=ev)
    if name == "slash":
        return _Finding("ymd", b=int(g["m"]), c=int(g["d"]), pos=pos, evidence=ev)
    if name == "dom":
        return _Finding("dom", b=int(g["d"]), c=-1, pos=pos, evidence=ev)
    if name == "weekday":
        rel = re.sub(r"\s+", " ", g.get("rel") or g.get("rel2") or "")
        wd = _EN_WEEKDAYS[(g.get("wd") or g.get("wd2"))[:3]]
        mode = {"this": "onafter", "next": "week1"}.get(rel, "after")
        return _Finding("weekday", b=wd, mode=mode, pos=pos, evidence=ev)
    if name == "day":
        w = re.sub(r"\s+", " ", g["w"])
        if w.endswith("after tomorrow"):
            n = 2
        elif w.startswith("end of"):
            n = 0
        else:
            n = _EN_DAY_WORDS[w]
        return _Finding("days", b=n, pos=pos, evidence=ev)
    if name == "now":
        return _Finding("now", pos=pos, evidence=ev)
    return None


# --------------------------------------------------------------------------------------------------
# The reader: prefilter, sentences, findings; then resolution against the received time
# --------------------------------------------------------------------------------------------------


class _Reader:
    """Compiled words of one ReaderWords, with caches of texts and sentences already read."""

    def __init__(self, words: ReaderWords) -> None:
        self.extra_urgent = tuple(dict.fromkeys(_norm(p) for p in words.extra_urgent_phrases))
        self.extra_neg = tuple(dict.fromkeys(_norm(p) for p in words.extra_negations))
        self.ja_candidates = re.compile(_JA_CANDIDATES)
        self.en_candidates = re.compile(_EN_CANDIDATES)
        staff = sorted(
            {_norm(p): p for p in words.staff_attribute_phrases}.items(), key=lambda x: -len(x[0])
        )
        self.staff_names = dict(staff)
        # literal alternation only: a leading look-behind makes Python's re scan ~20x slower
        self.staff_re = re.compile("|".join(re.escape(n) for n, _ in staff)) if staff else None
        self.cache: dict[str, _Parsed] = {}
        self.sentence_cache: dict[str, tuple[_Finding, ...]] = {}
        # One cheap gate for the common case (a calm Japanese message): any candidate or staff phrase?
        gate = [_JA_CANDIDATES] + [re.escape(p) for p in self.extra_urgent]
        gate += [re.escape(n) for n, _ in staff if not n.isascii()]
        self.gate = re.compile("|".join(gate))

    def candidate_at(self, norm: str) -> list[int]:
        """Positions in `norm` of the candidate words (empty: nothing to read)."""
        hits = [m.start() for m in self.ja_candidates.finditer(norm)]
        if _ASCII_LETTER.search(norm):
            for m in self.en_candidates.finditer(norm):
                i = m.start()
                if i == 0 or not ("a" <= norm[i - 1] <= "z") or not norm[i].isalpha():
                    hits.append(i)
        for phrase in self.extra_urgent:
            i = norm.find(phrase)
            if i >= 0:
                hits.append(i)
        return hits

    def parse(self, text: str | None) -> _Parsed:
        """The time-independent reading of one text (cached)."""
        if not isinstance(text, str) or not text:
            return _EMPTY_PARSED
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        parsed = self._parse(text)
        if len(self.cache) >= 20_000:  # read_message's cache; read_many keeps its own per call
            self.cache.clear()
        self.cache[text] = parsed
        return parsed

    def _staff(self, norm: str) -> tuple[str, ...]:
        if self.staff_re is None:
            return ()
        if not self.staff_re.search(norm):
            return ()
        names = []
        for m in self.staff_re.finditer(norm):
            a, b = m.span()
            if m.group(0).isascii() and (
                (a > 0 and "a" <= norm[a - 1] <= "z") or (b < len(norm) and "a" <= norm[b] <= "z")
            ):
                continue
            names.append(self.staff_names[m.group(0)])
        return tuple(dict.fromkeys(names))

    def _parse(self, text: str) -> _Parsed:
        norm = _norm(text)
        if not self.gate.search(norm) and not _ASCII_LETTER.search(norm):
            return _EMPTY_PARSED
        staff = self._staff(norm)
        empty = MessageReading(None, False, None, staff) if staff else EMPTY_READING
        hits = self.candidate_at(norm)
        if not hits:
            return _Parsed((), staff, False, empty) if staff else _EMPTY_PARSED
        spans = [m.span() for m in _SENTENCE.finditer(text)]
        if len(norm) == len(text):  # positions agree: read only the sentences with a candidate
            starts = [a for a, _ in spans]
            chosen = sorted({bisect_left(starts, h + 1) - 1 for h in hits})
            spans = [spans[i] for i in chosen if i >= 0]
        findings: list[_Finding] = []
        for a, b in spans:
            for part_start in range(a, b, 1000):
                part = text[part_start : min(b, part_start + 1000)]
                found = self.sentence_cache.get(part)
                if found is None:
                    found = self._read_sentence(part)
                    if len(self.sentence_cache) >= 100_000:
                        self.sentence_cache.clear()
                    self.sentence_cache[part] = found
                findings += found
        time_dependent = any(f.kind == "hours" for f in findings)
        return _Parsed(tuple(findings), staff, time_dependent, empty)

    def _read_sentence(self, part: str) -> tuple[_Finding, ...]:
        snorm, index = _norm_mapped(part)
        if not self.candidate_at(snorm):
            return ()
        if _JAPANESE_CHAR.search(snorm):
            tokens = _tokenize(snorm)
            if not tokens.forms:
                return ()
            found = _ja_findings(tokens, part, index, 0, snorm, self.extra_urgent, self.extra_neg)
        else:
            found = _en_findings(snorm, part, index, 0, self.extra_urgent, self.extra_neg)
        return tuple(sorted(found, key=lambda f: f.pos))


_EMPTY_PARSED = _Parsed((), (), False, EMPTY_READING)


def _month_add(year: int, month: int, n: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + n
    return total // 12, total % 12 + 1


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _resolve_day(f: _Finding, at: datetime) -> date | None:
    today = at.date()
    if f.kind in ("now",):
        return today
    if f.kind == "hours":
        return (at + timedelta(hours=f.a)).date()
    if f.kind == "days":
        return today + timedelta(days=f.b)
    if f.kind == "ymd":
        if not (1 <= f.b <= 12 and 1 <= f.c <= 31):
            return None
        if f.a:
            return _safe_date(int(f.a), f.b, f.c)
        d = _safe_date(today.year, f.b, f.c)
        if d is None or d < today:
            d = _safe_date(today.year + 1, f.b, f.c)
        return d
    if f.kind == "dom":
        if not 1 <= f.b <= 31:
            return None
        if f.c >= 0:
            y, m = _month_add(today.year, today.month, f.c)
            return _safe_date(y, m, f.b)
        if f.b >= today.day:
            d = _safe_date(today.year, today.month, f.b)
            if d is not None:
                return d
        y, m = _month_add(today.year, today.month, 1)
        return _safe_date(y, m, f.b)
    if f.kind == "weekday":
        wd = today.weekday()
        if f.mode.startswith("week"):
            monday = today - timedelta(days=wd)
            return monday + timedelta(days=7 * int(f.mode[4:]) + f.b)
        ahead = (f.b - wd) % 7
        if ahead == 0 and f.mode == "after":
            ahead = 7
        return today + timedelta(days=ahead)
    return None


def _japan_time(at: datetime) -> datetime:
    if at.tzinfo is not None:
        return at.astimezone(JAPAN).replace(tzinfo=None)
    return at


def _resolve(parsed: _Parsed, at: datetime) -> MessageReading:
    today = at.date()
    asap_first: _Finding | None = None
    best: tuple[date, int, _Finding] | None = None
    later_named = False
    for order, f in enumerate(parsed.findings):
        if f.kind == "haste":
            asap_first = asap_first or f
            continue
        d = _resolve_day(f, at)
        if d is None or d < today:
            continue
        if f.kind == "now" or (f.kind == "hours" and f.a < 24):
            asap_first = asap_first or f
        elif d > today:
            later_named = True
        if best is None or (d, order) < (best[0], best[1]):
            best = (d, order, f)
    asap = asap_first is not None and not later_named
    message_date = best[0] if best else None
    if asap:
        evidence = asap_first.evidence if asap_first else None
    elif best is not None:
        evidence = best[2].evidence
    else:
        evidence = None
    if message_date is None and not asap:
        return parsed.empty
    return MessageReading(message_date, asap, evidence, parsed.staff)


def _re2_escape(phrase: str) -> str:
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", phrase)


def prefilter_pattern(words: ReaderWords = ReaderWords()) -> str:
    """An RE2 pattern (DuckDB's regexp_matches) over lower(NFKC(message)) that every message with a reading matches.

    A superset of the reader's candidate words and staff phrases: rows that do not match read as an
    empty reading, so a loader may send only the matching rows to :func:`read_many`.
    """
    en = (
        r"today|tonight|tomorrow|tmrw|tmr|tomorow|tommorr?ow|2morrow|asap|a\.s\.a\.p|urgen|emergency|"
        r"immediately|right away|straight away|at once|now|eod|this\s+(?:morning|afternoon|evening)|"
        r"as soon as|hour|hrs?|minute|mins?|days?|weeks?|mon|tue|wed|thu|fri|sat|sun|"
        rf"{_EN_MONTHS}|may\s+\d|\d(?:st|nd|rd|th)|\d\s*h|\d\s*/\s*\d"
    )
    phrases = [_norm(p) for p in (*words.extra_urgent_phrases, *words.staff_attribute_phrases)]
    extra = "|".join(_re2_escape(p) for p in dict.fromkeys(phrases) if p)
    return _JA_CANDIDATES + "|" + en + ("|" + extra if extra else "")


@lru_cache(maxsize=32)
def _reader_for(words: ReaderWords) -> _Reader:
    return _Reader(words)


def read_message(
    text: str | None, received_at: datetime, words: ReaderWords = ReaderWords()
) -> MessageReading:
    """Read one message received at `received_at` (Japan time when naive)."""
    parsed = _reader_for(words).parse(text)
    if not parsed.findings:
        return parsed.empty
    return _resolve(parsed, _japan_time(received_at))


def read_many(
    texts: Sequence[str | None],
    received_ats: Sequence[datetime],
    words: ReaderWords = ReaderWords(),
) -> list[MessageReading]:
    """Batch form for load time: dedupes identical (text, received date) pairs and skips texts with no candidate word cheaply."""
    if len(texts) != len(received_ats):
        raise ValueError(f"read_many: {len(texts)} texts but {len(received_ats)} received times")
    reader = _reader_for(words)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small acyclic objects: the cyclic collector would rescan them all
    try:
        return _read_many(reader, texts, received_ats)
    finally:
        if gc_was_enabled:
            gc.enable()


def _read_many(
    reader: _Reader, texts: Sequence[str | None], received_ats: Sequence[datetime]
) -> list[MessageReading]:
    seen: dict[str, _Parsed] = {}  # this call's texts; freed when it returns
    out: list[MessageReading] = []
    resolved: dict[tuple[str, object], MessageReading] = {}
    for text, at in zip(texts, received_ats, strict=True):
        if not isinstance(text, str) or not text:
            out.append(EMPTY_READING)
            continue
        parsed = seen.get(text)
        if parsed is None:
            parsed = reader._parse(text)
            if parsed.findings or parsed.staff or len(seen) < 300_000:
                seen[text] = parsed
        if not parsed.findings:
            out.append(parsed.empty)
            continue
        at = _japan_time(at)
        key = (text, at if parsed.time_dependent else at.date())
        reading = resolved.get(key)
        if reading is None:
            reading = resolved[key] = _resolve(parsed, at)
        out.append(reading)
    return out


# --------------------------------------------------------------------------------------------------
# The labelled corpus (tests/corpus/urgency.tsv): scores for the test and the benchmark
# --------------------------------------------------------------------------------------------------

CORPUS_PATH = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "urgency.tsv"


def load_corpus(path: str | Path = CORPUS_PATH) -> list[dict[str, str]]:
    """The labelled messages: received_at, message, urgent (1/0), message_date (ISO or empty), note."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def corpus_scores(
    path: str | Path = CORPUS_PATH, words: ReaderWords = ReaderWords(), min_lead_days: int = 3
) -> dict[str, object]:
    """Accuracy, precision and recall of `urgent` on the labelled corpus, plus message_date agreement."""
    rows = load_corpus(path)
    ats = [datetime.fromisoformat(r["received_at"]) for r in rows]
    readings = read_many([r["message"] for r in rows], ats, words)
    tp = fp = fn = tn = dates_right = 0
    wrong: list[dict[str, object]] = []
    for row, at, reading in zip(rows, ats, readings, strict=True):
        want = row["urgent"] == "1"
        got = is_urgent(reading, at.date(), min_lead_days)
        want_date = row["message_date"] or None
        got_date = reading.message_date.isoformat() if reading.message_date else None
        dates_right += want_date == got_date
        tp += want and got
        fp += got and not want
        fn += want and not got
        tn += not want and not got
        if want != got or want_date != got_date:
            wrong.append(
                {
                    "received_at": row["received_at"],
                    "message": row["message"],
                    "urgent": (want, got),
                    "message_date": (want_date, got_date),
                    "evidence": reading.urgent_evidence,
                    "note": row["note"],
                }
            )
    n = len(rows)
    return {
        "messages": n,
        "urgent": tp + fn,
        "accuracy": (tp + tn) / n if n else None,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "message_date_accuracy": dates_right / n if n else None,
        "disagreements": wrong,
    }
