"""The one home of the export formats: canonical columns and their Japanese header aliases.

To accept a new header spelling, add it to ``INQUIRY_ALIASES`` or ``EVENT_ALIASES``; to accept a new
way of writing an event kind, add it to ``pipelines.vocabulary.EVENT_KIND_ALIASES``. Matching ignores
case, spaces and the difference between full-width and half-width characters (NFKC).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.jptext import drop_zero_width, match_fold
from pipelines.vocabulary import EVENT_KIND_ALIASES

INQUIRY_ALIASES: dict[str, tuple[str, ...]] = {
    "inquiry_id": (
        "問い合わせID",
        "問合せID",
        "問合せ番号",
        "問い合わせ番号",
        "受付番号",
        "受付ID",
    ),
    "received_at": ("受付日時", "問い合わせ日時", "問合せ日時", "受信日時", "タイムスタンプ"),
    "customer_name": ("氏名", "お名前", "名前", "顧客名"),
    "customer_address": ("住所", "ご住所"),
    "customer_email": ("メールアドレス", "メール", "email", "e-mail"),
    "target_phone": ("電話先番号", "代行先電話番号", "架電先", "架電先番号"),
    "requested_for": ("希望日時", "実行希望日", "希望日", "実行希望日時"),
    "service": ("依頼種別", "サービス", "サービス種別"),
    "message": ("本文", "お問い合わせ内容", "問い合わせ内容", "内容"),
    "channel": ("経路", "受付方法", "受付経路"),
    "staff_minutes": ("対応時間(分)", "作業時間(分)", "対応時間", "作業時間"),
}

EVENT_ALIASES: dict[str, tuple[str, ...]] = {
    "inquiry_id": INQUIRY_ALIASES["inquiry_id"],
    "event_at": ("日時", "対応日時", "イベント日時"),
    "event": ("種別", "イベント", "event_kind", "kind"),
    "amount_jpy": ("金額", "見積金額", "金額(円)", "amount"),
    "staff": ("担当", "担当者"),
    "staff_minutes": INQUIRY_ALIASES["staff_minutes"],
    "note": ("備考", "メモ"),
}

INQUIRY_REQUIRED = ("inquiry_id", "received_at")
EVENT_REQUIRED = ("inquiry_id", "event_at", "event")


def normalize_key(text: str) -> str:
    """Fold a header or event-kind spelling for matching: NFKC, lower case, no spaces or zero-width."""
    folded = drop_zero_width(match_fold(text)).strip()
    return "".join(folded.split())


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, spellings in aliases.items():
        for spelling in (canonical, *spellings):
            table[normalize_key(spelling)] = canonical
    return table


INQUIRY_LOOKUP = _lookup(INQUIRY_ALIASES)
EVENT_LOOKUP = _lookup(EVENT_ALIASES)
EVENT_KIND_LOOKUP = _lookup(EVENT_KIND_ALIASES)


@dataclass(frozen=True)
class FileLayout:
    """What a file's header row says: its kind and which column index holds which field."""

    kind: str  # "inquiries" or "events"
    columns: dict[str, int]  # canonical name -> 0-based column index
    ignored: tuple[str, ...]  # header cells that match no known column
    width: int  # number of header cells


class HeaderError(ValueError):
    """The header row does not identify an inquiry log or a quote log."""


def recognise_header(cells: list[str]) -> FileLayout:
    """Decide a file's kind from its header cells and map each column to its canonical name."""
    keys = [normalize_key(c) for c in cells]
    scores = {}
    for kind, lookup, required in (
        ("inquiries", INQUIRY_LOOKUP, INQUIRY_REQUIRED),
        ("events", EVENT_LOOKUP, EVENT_REQUIRED),
    ):
        mapped = {k: lookup[k] for k in keys if k in lookup}
        missing = [r for r in required if r not in mapped.values()]
        scores[kind] = (not missing, len(mapped), missing, lookup)
    kind = max(scores, key=lambda k: scores[k][:2])
    ok, matched, missing, lookup = scores[kind]
    if not ok:
        shown = ", ".join(repr(c) for c in cells[:12]) or "(none)"
        if matched <= 1:
            raise HeaderError(
                f"no recognisable header row: the first row is {shown}; expected the columns of "
                "an inquiry log (inquiry_id/問い合わせID, received_at/受付日時, …) or a quote log "
                "(inquiry_id, event_at/日時, event/種別, …)"
            )
        raise HeaderError(
            f"looks like a {kind} file but required column(s) missing: {', '.join(missing)}"
        )
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, (cell, key) in enumerate(zip(cells, keys, strict=True)):
        canonical = lookup.get(key)
        if canonical is None:
            ignored.append(cell)
        elif canonical in columns:
            raise HeaderError(
                f"two columns mean {canonical}: {cells[columns[canonical]]!r} and {cell!r}"
            )
        else:
            columns[canonical] = index
    return FileLayout(kind=kind, columns=columns, ignored=tuple(ignored), width=len(cells))
