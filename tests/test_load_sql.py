"""The loader's typed statements stay small once their macros are expanded.

DuckDB expands a macro where it is named, argument text and all, and plans the result: load.sql's
typed statements once named jp_fold() about 15 times each (every one a Python nfkc() and a regular
expression of 12,000 characters to compile), so a one-row load spent 0.3 s planning them. These tests
expand the statements as DuckDB does, from the text of parse.sql and load.sql, and bound the result.
"""

from __future__ import annotations

import itertools
import re

import pytest

from pipelines.columns import EVENT_ALIASES, INQUIRY_ALIASES
from pipelines.definitions import named_statements, sql_text

_TOKEN = re.compile(r"'(?:[^']|'')*'|\w+|\s+|.", re.S)
_MACRO = re.compile(r"CREATE OR REPLACE TEMP MACRO (\w+)\(([^)]*)\) AS(.*?);\s*(?=\n|$)", re.S)


def _tokens(sql: str) -> list[str]:
    """SQL as tokens (string literals whole), without comments and white space."""
    return [t for t in _TOKEN.findall(_without_comments(sql)) if not t.isspace()]


def _without_comments(sql: str) -> str:
    """SQL without its -- comments (string literals kept as they are)."""
    parts = re.findall(r"'(?:[^']|'')*'|--[^\n]*|[^'-]+|-", sql, re.S)
    return "".join("" if p.startswith("--") else p for p in parts)


def _macros() -> dict[str, tuple[list[str], list[str]]]:
    """parse.sql's macros: name -> (parameters, body tokens)."""
    text = _without_comments(sql_text("parse.sql"))
    found = {
        m[1]: ([p.strip() for p in m[2].split(",") if p.strip()], _tokens(m[3]))
        for m in _MACRO.finditer(text)
    }
    assert len(found) == text.count("CREATE OR REPLACE TEMP MACRO")  # every macro was read
    return found


def _arguments(tokens: list[str], start: int) -> tuple[list[list[str]], int]:
    """The arguments of the call whose '(' is tokens[start], and the index of its ')'."""
    depth, args, current, i = 0, [], [], start
    while True:
        token = tokens[i]
        depth += token in "([{"
        depth -= token in ")]}"
        if depth == 0:
            return ([*args, current] if current else args), i
        if token == "," and depth == 1:
            args, current = [*args, current], []
        elif i > start:
            current.append(token)
        i += 1


def expand(tokens: list[str], macros: dict[str, tuple[list[str], list[str]]]) -> list[str]:
    """The tokens with every macro call replaced by its body, arguments substituted (as DuckDB)."""
    out, i = [], 0
    while i < len(tokens):
        name = tokens[i]
        if name in macros and tokens[i + 1 : i + 2] == ["("] and tokens[i - 1 : i] != ["."]:
            params, body = macros[name]
            args, end = _arguments(tokens, i + 1)
            assert len(args) == len(params), name
            args = [expand(a, macros) for a in args]
            substituted: list[str] = []
            for k, token in enumerate(body):
                if token in params and (k == 0 or body[k - 1] != "."):
                    substituted += ["(", *args[params.index(token)], ")"]
                else:
                    substituted.append(token)
            out += expand(substituted, macros)
            i = end + 1
        else:
            out.append(name)
            i += 1
    return out


TYPED = {"typed_inquiries": INQUIRY_ALIASES, "typed_events": EVENT_ALIASES}


@pytest.mark.parametrize("name", sorted(TYPED))
def test_each_raw_column_is_folded_at_most_once(name: str) -> None:
    """jp_fold() is named once per raw column; the parsing and the problems read its fold."""
    sql = _without_comments(named_statements("load.sql")[name])
    folded = re.findall(r"jp_fold\(([^()]*)\)", sql)
    assert sql.count("jp_fold(") == len(folded) >= 4
    assert sorted(set(folded)) == sorted(folded), folded
    assert set(folded) <= set(TYPED[name])  # raw columns, never an expression of them


@pytest.mark.parametrize("name", [*sorted(TYPED), "insert_inquiries"])
def test_expanded_statements_stay_small(name: str) -> None:
    """Fully expanded, a statement holds one nfkc() per fold it names, and at most 4× its text.

    Before: typed_inquiries 35,000 characters expanded (11× its text) with 15 nfkc() and 30 copies
    of the 12,000-character nfkc_changeable test; insert_inquiries folded each name three times.
    """
    macros = _macros()
    statement = _tokens(named_statements("load.sql")[name])
    expanded = expand(statement, macros)
    calls = [t for t, n in itertools.pairwise(expanded) if t in macros and n == "("]
    assert not calls  # everything was expanded
    named = sum(statement.count(f) for f in ("jp_fold", "match_fold", "name_fold", "contact_key"))
    assert named >= 2
    assert expanded.count("nfkc") == named
    assert "".join(expanded).count("nfkc_changeable") <= 2 * expanded.count("nfkc")
    assert len("".join(statement)) < len("".join(expanded)) <= 4 * len("".join(statement))
