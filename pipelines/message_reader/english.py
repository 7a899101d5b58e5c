"""English: a compact rule set over the normalised sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from pipelines.message_reader.words import (
    _EN_MONTH_NUM,
    _EN_MONTHS,
    _EN_WEEKDAYS,
    _evidence,
    _Finding,
)

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
            r"(?<![a-z])(?:(?P<pre>on|by|until|till|before|(?<!day\s)(?<!days\s)after|from|since)\s+)?(?:the\s+)?"
            + _EN_MON
            + r"\s+(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
        ),
    ),
    (
        "mdate",
        re.compile(
            r"(?<![a-z0-9])(?:(?P<pre>on|by|until|till|before|(?<!day\s)(?<!days\s)after|from|since)\s+)?(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _EN_MON
            + r"(?![a-z])"
        ),
    ),
    ("slash", re.compile(r"(?<![\d/])(?P<m>\d{1,2})\s*/\s*(?P<d>\d{1,2})(?![\d/])")),
    (
        "dom",
        re.compile(
            r"(?<![a-z0-9])(?:(?P<pre>on|by|until|till|before|(?<!day\s)(?<!days\s)after|from|since)\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)(?![a-z])"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?<![a-z])(?:(?P<rel>this\s+coming|this|next|coming|on|by|until|till|before|(?<!day\s)(?<!days\s)after|from|since)\s+)?"
            r"(?P<wd>mon|tues|wednes|thurs|fri|satur|sun)day(?![a-z])"
            r"|(?<![a-z])(?P<rel2>this|next|on|by)\s+(?P<wd2>mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?(?![a-z])"
        ),
    ),
    (
        "next",
        re.compile(
            rf"(?<![a-z])(?:the\s+(?:day|one)|(?P<q>{_QTY})\s+days?)\s+(?:after|later)(?P<that>\s+that)?"
            r"(?!\s+tomorrow)(?![a-z])|(?<![a-z])the\s+(?:following|next)\s+day(?![a-z])"
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
    r"(?:(?<![a-z])(?:not|no|never|nothing|without|neither|nor)|n't)(?:\s+[^\s]+){0,4}\s*$"
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
    r"works|suits?|would\s+suit|possible|preferably|prefer|appreciate|grateful|need\s+(?:it|this|them|the\s+call)|"
    r"want\s+(?:it|this|the\s+call))(?![a-z])"
    r"|^\s*(?:call|ring|phone|contact|tell|let|inform|notify|make|do|get|need)(?![a-z])"
)
_EN_REMARK_BEFORE = re.compile(r"(?:(?<![a-z])(?:is|was|are|were)|'s)\s+(?:on\s+)?$")
# A sentence that states the call's day: "the call is tomorrow", "the call would be on December 10",
# "my preferred date is Friday" (the day is the complement of a sentence about the call or its date).
_EN_STATEMENT_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:is|will\s+be|would\s+be|should\s+be|shall\s+be|be|'s)|'ll\s+be|'d\s+be)"
    r"\s+(?:(?:set|scheduled|planned|booked)\s+for\s+|(?:on|for)\s+)?$"
)
_EN_SCHEDULE = re.compile(
    r"(?<![a-z])(?:(?:preferred|requested|desired|chosen|best|ideal)\s+(?:date|day|time)|"
    r"the\s+date|date\s+(?:for|of)\s+the\s+call|appointment)(?![a-z])"
)
_EN_IT = re.compile(
    r"(?:^|\s)it\s+(?:is|will\s+be|would\s+be|'s)\s+(?:on\s+)?$|^\s*it's\s+(?:on\s+)?$"
)
# "any day after tomorrow": a window that opens after the day, not the day after tomorrow
_EN_ANY_BEFORE = re.compile(r"(?<![a-z])(?:any|some|every|whichever|whatever|other)\s+$")
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
    found = _en_matches(norm, extra_urgent)
    found.sort(key=lambda x: x[2])
    anchors, consumed = _en_anchors(norm, found)
    out: list[_Finding] = []
    dropped: set[int] = set()
    for i, (name, m, a, b) in enumerate(found):
        if i in consumed:
            continue
        if name == "next" and i not in anchors:  # its day is in an earlier sentence, if anywhere
            q = m.groupdict().get("q") if m else None
            shift = int(_en_qty(q)) if q else 1
            if _en_counts(name, m, norm, a, b, extra_neg, _en_negated(norm, a, b)):
                ev = _evidence(sentence, index, a, b)
                out.append(
                    _Finding("days", b=shift, pos=offset + index[a], evidence=ev, role="next")
                )
            continue
        negated = _en_listed_after_negated(norm, found, dropped, i) or _en_negated(norm, a, b)
        if negated:
            dropped.add(i)
        if not _en_counts(name, m, norm, a, b, extra_neg, negated):
            if name in _EN_DAYLIKE:  # kept as the day a later "the day after" counts from
                f = _en_finding(name, m, _evidence(sentence, index, a, b), offset + index[a])
                out += [replace(f, role="base")] if f is not None else []
            continue
        if i in anchors:
            base, shift = anchors[i]
            a2, b2 = (
                (min(a, found[base][2]), max(b, found[base][3])) if base in consumed else (a, b)
            )
            ev = _evidence(sentence, index, a2, b2)
            f = _en_finding(found[base][0], found[base][1], ev, offset + index[a])
            if f is not None:
                out.append(replace(f, shift=f.shift + shift))
            continue
        ev = _evidence(sentence, index, a, b)
        f = _en_finding(name, m, ev, offset + index[a])
        if f is not None:
            out.append(f)
    return out


def _en_matches(
    norm: str, extra_urgent: tuple[str, ...]
) -> list[tuple[str, re.Match[str] | None, int, int]]:
    """Every rule's matches in priority order, a later one overlapping an earlier one dropped."""
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
    return found


def _en_listed_after_negated(
    norm: str,
    found: Sequence[tuple[str, re.Match[str] | None, int, int]],
    dropped: set[int],
    i: int,
) -> bool:
    """Is finding i the next item of a list whose first item was negated ("not today, tomorrow or
    Saturday"): only commas, "or", "and", "nor" between it and the negated day before it."""
    name, _m, a, _b = found[i]
    if name not in _EN_DAYLIKE or i == 0 or (i - 1) not in dropped:
        return False
    prev = found[i - 1]
    if prev[0] not in _EN_DAYLIKE:
        return False
    if re.fullmatch(r"[\s,]*(?:or|and|nor)\s+", norm[prev[3] : a]):
        return True  # "not today or tomorrow"
    # "not today, tomorrow or Saturday" (but "not tomorrow, today please" is a contrast)
    nxt = found[i + 1] if i + 1 < len(found) else None
    return (
        re.fullmatch(r"[\s,]*", norm[prev[3] : a]) is not None
        and nxt is not None
        and nxt[0] in _EN_DAYLIKE
        and re.fullmatch(r"[\s,]*(?:or|and|nor)\s+", norm[found[i][3] : nxt[2]]) is not None
    )


def _en_negated(norm: str, a: int, b: int) -> bool:
    """Is the phrase at a..b negated in its clause (not today; tomorrow isn't possible)?"""
    cs, ce = _en_clause(norm, a, b)
    before, after = norm[cs:a], norm[b:ce]
    if _EN_NEG_BEFORE.search(before) and not _EN_NOT_NEG.search(before):
        return True
    return _EN_NEG_AFTER.search(after) is not None


def _en_counts(
    name: str,
    m: re.Match[str] | None,
    norm: str,
    a: int,
    b: int,
    extra_neg: tuple[str, ...],
    negated: bool,
) -> bool:
    """Does the phrase at a..b say when the call is to be made (not negated, not an open window,
    not about the quote, a request or a statement about the call rather than a remark)?"""
    cs, ce = _en_clause(norm, a, b)
    before, after, clause = norm[cs:a], norm[b:ce], norm[cs:ce]
    day_after = name == "day" and m is not None and m.group("w").startswith("day")
    if negated or (day_after and _EN_ANY_BEFORE.search(before)):
        return False  # negated (a list too); "any day after tomorrow" names no day
    if extra_neg and any(p in clause for p in extra_neg):
        return False
    pre = m.groupdict().get("pre") if m else None
    if pre in ("after", "from", "since") or _EN_OPEN_BEFORE.search(before):
        return False
    if m is not None and m.groupdict().get("rel") in ("after", "from", "since"):
        return False
    has_call = bool(_EN_CALL.search(clause))
    if _EN_QUOTE.search(clause) and not has_call:
        return False
    if name in ("haste", "extra"):
        return True
    about_call = has_call or _EN_SCHEDULE.search(clause) is not None
    # "it is on December 12" in a sentence about the call
    about_call = about_call or (
        _EN_IT.search(before) is not None and _EN_CALL.search(norm) is not None
    )
    if _EN_STATEMENT_BEFORE.search(before) and about_call:
        return True
    if _EN_REMARK_AFTER.search(after) or (_EN_REMARK_BEFORE.search(before) and not has_call):
        return False
    words = re.findall(r"[a-z0-9']+", (before + " " + after).strip(" .!?"))
    bare_now = name == "now" and m is not None and m.group(0) == "now"
    if bare_now and not has_call and not set(words) <= {"please", "pls", "plz"}:
        return False
    return _EN_REQUEST.search(clause) is not None or len(words) <= 2


_EN_DAYLIKE = ("days", "wdate", "mdate", "slash", "dom", "weekday", "day")


def _en_anchors(
    norm: str, found: Sequence[tuple[str, re.Match[str] | None, int, int]]
) -> tuple[dict[int, tuple[int, int]], set[int]]:
    """Days counted from another day: "the day after Friday" (the day right after it, which then
    names nothing itself) or "not tomorrow, but the day after" (the last day named before it, even
    a negated one). Finding index -> (index of the base day, days added); and the bases used up."""
    anchors: dict[int, tuple[int, int]] = {}
    consumed: set[int] = set()
    for i, (name, m, _a, b) in enumerate(found):
        if name != "next" or m is None:
            continue
        q = m.groupdict().get("q")
        shift = int(_en_qty(q)) if q else 1
        following = i + 1 < len(found) and found[i + 1][0] in _EN_DAYLIKE
        if following and not m.group("that") and norm[b : found[i + 1][2]].strip() == "":
            anchors[i] = (i + 1, shift)
            consumed.add(i + 1)
            continue
        before = [p for p in range(i) if found[p][0] in _EN_DAYLIKE and p not in anchors]
        if before:
            anchors[i] = (before[-1], shift)
    return anchors, consumed


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
