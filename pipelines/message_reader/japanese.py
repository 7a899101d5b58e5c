"""Japanese: Sudachi tokens and rules over the token stream."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pipelines.message_reader.ja_clause import (
    _clause,
    _ja_negated,
    _ja_open_window,
    _ja_relevant,
)
from pipelines.message_reader.words import _WEEKDAYS, _evidence, _Finding

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
    _day_not_verb(rows, sentence)
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


def _day_not_verb(rows: list[tuple[str, str, str, int, int]], sentence: str) -> None:
    """「…、あさって」 ending a sentence: Sudachi reads it as 漁る + て ("searching"); with nothing
    verbal after it, it is the day 明後日 (one noun token), as it is everywhere else."""
    for i in range(len(rows) - 1):
        verb, te = rows[i], rows[i + 1]
        if not (verb[0] == "漁る" and te[0] == "て" and sentence[verb[3] : te[4]] == "あさって"):
            continue
        after = rows[i + 2] if i + 2 < len(rows) else None
        if after is None or after[1] == "補助記号":
            rows[i : i + 2] = [("明後日", "名詞", "普通名詞", verb[3], te[4])]
            return


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
    # a day counted from the day named before it: 明日の翌日, 明日ではなくその次の日, 金曜日の翌々日
    (
        "next",
        re.compile(r"(?:\|其の)?\|(?P<nx>翌日|翌翌日|翌々日|次の日|次\|の\|日|明くる日)(?=\|)"),
    ),
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


def _ja_phrases(
    t: _Tokens, norm: str, extra_urgent: tuple[str, ...]
) -> list[tuple[str, dict[str, str | None] | None, int, int]]:
    """Every rule's matches over the token stream, then the office's extra urgent phrases that do
    not overlap them: (rule name, groups, first token, token after the last)."""
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
    return found


def _ja_findings(
    t: _Tokens,
    sentence: str,
    index: Sequence[int],
    offset: int,
    norm: str,
    extra_urgent: tuple[str, ...],
    extra_neg: tuple[str, ...],
) -> list[_Finding]:
    found = _ja_phrases(t, norm, extra_urgent)

    found.sort(key=lambda x: x[2])
    anchors, consumed = _ja_anchors(t, found)
    spans = [(k, j) for _, _, k, j in found]
    out: list[_Finding] = []
    for index_, (name, m, k, j) in enumerate(found):
        if index_ in consumed:
            continue
        cs, ce = _clause(t, k, j)
        base = _ja_base(name, m, sentence, index, offset, t, k, j)
        if name == "haste" and j < len(t.forms) and t.forms[j] in ("過ぎる", "過ぎ"):
            continue  # 急ぎすぎ: "too hasty", not haste
        if _ja_negated(t, j, ce, spans):
            out += base
            continue
        if extra_neg:
            clause_text = norm[t.begin[cs] : t.end[ce - 1]]
            if any(p in clause_text for p in extra_neg):
                continue
        if name not in ("haste", "extra", "hours", "now") and _ja_open_window(t, j):
            continue
        inherent = name in ("haste", "extra")
        if not _ja_relevant(t, k, j, cs, ce, inherent):
            out += base
            continue
        ev_end = j
        while ev_end < len(t.forms) and t.forms[ev_end] == "中" and name == "day":
            ev_end += 1
        first = k
        if index_ in anchors and anchors[index_][0] is not None and anchors[index_][0] in consumed:
            first = found[anchors[index_][0]][2]  # 明日の翌日: the evidence is the whole phrase
        ev = _evidence(sentence, index, t.begin[first], t.end[ev_end - 1])
        pos = offset + index[t.begin[k]]
        if index_ in anchors:
            out += _ja_counted(found, anchors[index_], ev, pos)
        else:
            out += _ja_finding(name, m, ev, pos)
    return out


_DAYLIKE = ("days", "ymd", "dom", "weekday", "day")


def _ja_anchors(
    t: _Tokens, found: Sequence[tuple[str, dict[str, str | None] | None, int, int]]
) -> tuple[dict[int, tuple[int | None, int]], set[int]]:
    """Days counted from another day: finding index -> (index of the day it counts from, or None
    for the received day; days added), and the days that only serve as such a base (明日の翌日
    names one day, not two)."""
    anchors: dict[int, tuple[int | None, int]] = {}
    consumed: set[int] = set()
    for i, (name, g, k, _j) in enumerate(found):
        before = [p for p in range(i) if found[p][0] in _DAYLIKE and p not in anchors]
        attached = bool(before) and found[before[-1]][3] == k - 1 and t.forms[k - 1] == "の"
        after_that = k >= 1 and t.forms[k - 1] == "其の"
        if (
            name == "days" and (attached or after_that) and g is not None
        ):  # 金曜日の2日後, その2日後
            days = int(g["n"]) * (7 if g["u"] == "週間" else 1)
            anchors[i] = (before[-1] if before else None, days)
            if attached:
                consumed.add(before[-1])
        elif name == "next" and g is not None:
            shift = 2 if g["nx"] in ("翌翌日", "翌々日") else 1
            anchors[i] = (before[-1] if before else None, shift)
            if attached:
                consumed.add(before[-1])
    return anchors, consumed


def _ja_base(
    name: str,
    g: dict[str, str | None] | None,
    sentence: str,
    index: Sequence[int],
    offset: int,
    t: _Tokens,
    k: int,
    j: int,
) -> list[_Finding]:
    """A named day that does not count (negated, a remark) kept as the base of a later その翌日."""
    if name not in _DAYLIKE or name == "next" or g is None:
        return []
    ev = _evidence(sentence, index, t.begin[k], t.end[j - 1])
    return [replace(f, role="base") for f in _ja_finding(name, g, ev, offset + index[t.begin[k]])]


def _ja_counted(
    found: Sequence[tuple[str, dict[str, str | None] | None, int, int]],
    anchor: tuple[int | None, int],
    ev: str,
    pos: int,
) -> list[_Finding]:
    """The day counted from its base: the base's finding moved by the days added (a base in an
    earlier sentence, or else the received day, is found by the reader)."""
    base, shift = anchor
    if base is None:
        return [_Finding("days", b=shift, mode="from_received", pos=pos, evidence=ev, role="next")]
    name, g, _k, _j = found[base]
    return [
        replace(f, shift=f.shift + shift, pos=pos, evidence=ev)
        for f in _ja_finding(name, g, ev, pos)[:1]
    ]


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
