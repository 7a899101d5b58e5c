"""Audit trail (owner only): who signed in, downloaded, exported, changed accounts or settings, loaded
data — filtered by person, kind and day (Japan time), and downloadable as CSV."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from pipelines.office import audit
from pipelines.office.audit import KINDS
from views import common
from views.common import tr

JAPAN = ZoneInfo("Asia/Tokyo")


def _kind(kind: str) -> str:
    key = f"trail.kind.{kind}"
    from pipelines.i18n import STRINGS

    return tr(key) if key in STRINGS else kind


def table(found: list[audit.AuditRow]) -> pd.DataFrame:
    """Audit rows as a table for people: Japan time, the kind in words, the details as JSON text."""
    return pd.DataFrame(
        [
            {
                tr("trail.col.at"): r.at.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S"),
                tr("trail.col.who"): r.who,
                tr("trail.col.kind"): _kind(r.kind),
                tr("trail.col.detail"): json.dumps(r.detail, ensure_ascii=False, sort_keys=True),
            }
            for r in reversed(found)
        ],
        columns=[tr(f"trail.col.{c}") for c in ("at", "who", "kind", "detail")],
    )


def main() -> None:
    """The Audit page."""
    st.title(tr("trail.title"))
    st.caption(tr("trail.caption"))
    db = common.db_path()
    left, middle, right = st.columns(3)
    anyone = tr("trail.any")
    person = left.selectbox(tr("trail.person"), [anyone, *audit.people(db)], key="trail_person")
    kind = middle.selectbox(
        tr("trail.kind"),
        [anyone, *KINDS],
        format_func=lambda k: k if k == anyone else _kind(k),
        key="trail_kind",
    )
    day = right.date_input(tr("trail.day"), value=None, key="trail_day")
    # a Japan-time day spans two UTC days: read both, keep the rows of the Japan day
    found = audit.rows(
        db,
        since=(day - timedelta(days=1)) if day else None,
        who=None if person == anyone else person,
        kind=None if kind == anyone else kind,
    )
    if day:
        found = [r for r in found if r.at.astimezone(JAPAN).date() == day]
    frame = table(found)
    st.caption(tr("trail.rows", n=len(frame)))
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(tr("trail.downloads"))
    common.download_csv(frame, "audit-trail.csv", "trail_download")


main()
