"""The reader: prefilter, sentences, findings; then resolution against the received time."""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from pipelines.message_reader.english import _en_findings
from pipelines.message_reader.japanese import _ja_findings, _tokenize
from pipelines.message_reader.words import (
    _ASCII_LETTER,
    _EN_CANDIDATES,
    _EN_MONTHS,
    _JA_CANDIDATES,
    _JAPANESE_CHAR,
    _SENTENCE,
    EMPTY_READING,
    JAPAN,
    MessageReading,
    _Finding,
    _norm,
    _norm_mapped,
    _Parsed,
)
from pipelines.reader_words import (
    DEFAULT_WORDS,
    ReaderWords,
)

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
        findings = _count_from_named_days(findings)
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
_NAMED_DAYS = ("days", "ymd", "dom", "weekday")


def _count_from_named_days(findings: list[_Finding]) -> list[_Finding]:
    """Resolve "the day after" left open by its sentence against the last day named before it in
    the message (明日は無理です。その次の日に…; "Not on the 20th. The following day, please."); days
    kept only as such a base are dropped."""
    if not any(f.role for f in findings):
        return findings
    out: list[_Finding] = []
    last: _Finding | None = None
    for f in findings:
        if f.role == "next":
            if last is not None:
                out.append(replace(last, shift=last.shift + f.b, pos=f.pos, evidence=f.evidence))
            elif f.mode == "from_received":
                out.append(replace(f, role="", mode=""))
            continue
        if f.kind in _NAMED_DAYS:
            last = replace(f, role="")
        if not f.role:
            out.append(f)
    return out


def _month_add(year: int, month: int, n: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + n
    return total // 12, total % 12 + 1


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _resolve_day(f: _Finding, at: datetime) -> date | None:
    day = _resolve_named_day(f, at)
    return day + timedelta(days=f.shift) if day is not None and f.shift else day


def _resolve_named_day(f: _Finding, at: datetime) -> date | None:
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
        if not f.shift and (f.kind == "now" or (f.kind == "hours" and f.a < 24)):
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


def prefilter_pattern(words: ReaderWords = DEFAULT_WORDS) -> str:
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
    text: str | None, received_at: datetime, words: ReaderWords = DEFAULT_WORDS
) -> MessageReading:
    """Read one message received at `received_at` (Japan time when naive)."""
    parsed = _reader_for(words).parse(text)
    if not parsed.findings:
        return parsed.empty
    return _resolve(parsed, _japan_time(received_at))


def read_many(
    texts: Sequence[str | None],
    received_ats: Sequence[datetime],
    words: ReaderWords = DEFAULT_WORDS,
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
