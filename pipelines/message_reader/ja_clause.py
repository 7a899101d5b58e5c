"""Japanese clauses: where a phrase's clause ends, whether it is negated, an open window, a
statement about the call, or a request rather than a remark (rules over Sudachi tokens)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.message_reader.japanese import _Tokens

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


_LIST_JOINERS = frozenset(
    ["か", "や", "と", "とか", "又は", "若しくは", "もしくは", "、", "・", "及び"]
)


def _ja_negated(t: _Tokens, j: int, stop: int, spans: Sequence[tuple[int, int]] = ()) -> bool:
    """Does a negation follow the phrase ending at token j? Other day phrases of the same list are
    passed over, so one negation reaches the whole list (今日でも明日でもなく, 明日と明後日は無理)."""
    starts = dict(spans)
    i, seen = j, 0
    while i < stop and seen < 10:
        f = t.forms[i]
        if i in starts and starts[i] > i:
            i = starts[i]
            continue
        seen += 1
        if f in _NEGATORS:
            return True
        toka = f == "とか" or (f == "か" and i > 0 and t.forms[i - 1] == "と")
        if f in _LIST_JOINERS and (i + 1 in starts or toka):
            i += 1
            continue
        if f in _FILLERS or (t.pos1[i] in ("係助詞", "格助詞") and f in ("は", "も", "で", "に")):
            i += 1
            continue
        return False
    return False


# A sentence that states the call's day: 電話は明日です, 希望日は12月10日です, 架電日は月曜日になります.
_SCHEDULE_WORDS = re.compile(r"希望|予定|日程|日時|日取|依頼|実施|実行|代行|架電|通話")
_COPULA = frozenset(["です", "だ", "御座る", "予定"])


def _ja_statement(t: _Tokens, j: int, forms: Sequence[str], has_call: bool) -> bool:
    """The day is the complement of a sentence about the call or its date (… は DAY です)."""
    n = len(t.forms)
    while j < n and t.forms[j] in ("中", "頃", "ごろ"):
        j += 1
    if j >= n:
        return False
    f = t.forms[j]
    nxt = t.forms[j + 1] if j + 1 < n else ""
    copula = (
        f in _COPULA or (f in ("に", "と") and nxt == "成る") or (f == "で" and nxt == "御座る")
    )
    return copula and (has_call or bool(_SCHEDULE_WORDS.search("|".join(forms))))


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
    if _ja_statement(t, j, forms, has_call):
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
    # a fragment ("きょう中に", "数時間後", "今すぐ!") asks by itself; after a negated part
    # ("今日でも明日でもなく、来月10日に") only what follows the negation counts
    negated_before = [i for i in others if i < k and t.forms[i] in _NEGATORS]
    if negated_before:
        others = [i for i in others if i > negated_before[-1]]
    return not any(t.pos0[i] in _PREDICATE_POS for i in others)
