"""Audit trail (owner only): who signed in, downloaded, exported, changed accounts or settings, loaded
data — filtered by person, kind and day (Japan time), each row's details in words, and downloadable
as CSV or .xlsx (with the details also as the recorded JSON, see docs/people.md)."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from pipelines.office import accounts, audit
from pipelines.office.audit import KINDS
from pipelines.office.store import OfficeStoreError
from pipelines.periods import stamp_text
from pipelines.trail_text import detail_text, mark_kinds, who_text
from views import common
from views.common import tr

JAPAN = ZoneInfo("Asia/Tokyo")


def _kind(kind: str) -> str:
    key = f"trail.kind.{kind}"
    from pipelines.i18n import STRINGS

    return tr(key) if key in STRINGS else kind


def display_names() -> dict[str, str]:
    """Login name → display name of every account (none when the store cannot say)."""
    try:
        return {a.name: a.display_name for a in accounts.list_accounts(common.db_path())}
    except OfficeStoreError:
        return {}


def table(
    found: list[audit.AuditRow],
    names: dict[str, str] | None = None,
    kinds: dict[int, str] | None = None,
    with_json: bool = False,
) -> pd.DataFrame:
    """Audit rows for people, newest first: Japan time, who by display name, the kind and the details
    in words (with_json: also the details as recorded, for the downloads)."""
    lang, names = common.lang(), names or {}
    columns = ["at", "who", "kind", "detail"] + (["data"] if with_json else [])
    records = []
    for r in reversed(found):
        record = {
            "at": f"{stamp_text(r.at.astimezone(JAPAN), lang)}:{r.at.astimezone(JAPAN):%S}",
            "who": who_text(r.who, names, lang),
            "kind": _kind(r.kind),
            "detail": detail_text(r.kind, r.detail, lang, names, kinds),
        }
        if with_json:
            record["data"] = json.dumps(r.detail, ensure_ascii=False, sort_keys=True)
        records.append(record)
    return pd.DataFrame(records, columns=columns).rename(
        columns={c: tr(f"trail.col.{c}") for c in columns}
    )


def _japan_day(row: audit.AuditRow) -> date:
    return row.at.astimezone(JAPAN).date()


def main() -> None:
    """The Audit page."""
    st.title(tr("trail.title"))
    st.caption(tr("trail.caption"))
    db = common.db_path()
    every = audit.rows(db)
    names = display_names()
    lang = common.lang()
    left, middle, right = st.columns(3)
    anyone = tr("trail.any")
    person = left.selectbox(
        tr("trail.person"),
        [anyone, *audit.people(db)],
        format_func=lambda p: p if p == anyone else who_text(p, names, lang),
        key="trail_person",
    )
    kind = middle.selectbox(
        tr("trail.kind"),
        [anyone, *KINDS],
        format_func=lambda k: k if k == anyone else _kind(k),
        key="trail_kind",
    )
    # the days the trail has, newest first, as the office writes dates (no empty date box)
    days = sorted({_japan_day(r) for r in every}, reverse=True)
    labels = {d: common.day_label(d) for d in days}
    day = right.selectbox(
        tr("trail.day"),
        [None, *days],
        format_func=lambda d: tr("trail.day_any") if d is None else labels.get(d, str(d)),
        key="trail_day",
    )
    found = [
        r
        for r in every
        if (person == anyone or r.who == person)
        and (kind == anyone or r.kind == kind)
        and (day is None or _japan_day(r) == day)
    ]
    kinds = mark_kinds([(r.kind, r.detail) for r in every])
    frame = table(found, names, kinds)
    st.caption(tr("trail.rows", n=len(frame)))
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={tr("trail.col.detail"): st.column_config.TextColumn(width="large")},
    )
    st.caption(tr("trail.downloads"))
    common.download_csv(
        table(found, names, kinds, with_json=True), "audit-trail.csv", "trail_download"
    )


main()
