"""The words an office can give the message reader ([message] in the settings file), validated.

Kept apart from the reader itself so that validating a settings file loads no tokenizer and no rules.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pipelines.jptext import match_fold

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u301c": "~"})


def reading_fold(text: str) -> str:
    """NFKC, lower case, and typographic apostrophes and wave dashes as ASCII (the reader's fold)."""
    norm = match_fold(text)
    if "\u2019" in norm or "\u2018" in norm or "\u02bc" in norm or "\u301c" in norm:
        norm = norm.translate(_APOSTROPHES)
    return norm


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


DEFAULT_WORDS = ReaderWords()

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
        if len(reading_fold(phrase)) < 2 and not re.search(r"[\u3400-\u9fff]", phrase):
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
    clash = sorted(set(map(reading_fold, urgent)) & set(map(reading_fold, negations)))
    if clash:
        raise ValueError(
            f"{source}: message.extra_urgent_phrases and message.extra_negations both contain {clash[0]!r}"
        )
    return ReaderWords(
        extra_urgent_phrases=urgent, extra_negations=negations, staff_attribute_phrases=staff
    )
