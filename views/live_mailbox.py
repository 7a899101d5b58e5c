"""The Data page's live mailbox: the last sync, its outcome, the next, and the messages not used.

Read from the sync's status kept beside the database (pipelines.sync.read_status) and the database's
mail_review table; everything shown as text in the chosen language.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from pipelines.definitions import named_statements
from pipelines.sync import read_status
from views import common
from views.common import db_path, lang, tr


def _review_rows() -> pd.DataFrame:
    """The last sync's messages that went to review (empty before any sync)."""
    if not db_path().exists():
        return pd.DataFrame()
    try:
        con = duckdb.connect(str(db_path()), read_only=True)
    except duckdb.Error:
        return pd.DataFrame()
    try:
        return con.execute(named_statements("sync.sql")["review"]).df()
    except duckdb.CatalogException:
        return pd.DataFrame()
    finally:
        con.close()


def show() -> None:
    """The live mailbox section of the Data page."""
    st.subheader(tr("sync.page.title"))
    status = read_status(db_path())
    if not status:
        st.caption(tr("sync.page.never"))
        return
    outcome = str(status.get("outcome", "failed"))
    line = tr(
        "sync.page.last",
        at=common.when(status.get("at")),
        outcome=tr(f"sync.page.outcome.{outcome}"),
    )
    (st.success if outcome == "ok" else st.error)(line)
    if outcome != "ok":
        st.text(str(status.get("detail", "")))
        if status.get("last_ok_at"):
            st.caption(tr("sync.page.last_ok", at=common.when(status["last_ok_at"])))
    if status.get("next_at"):
        st.caption(
            tr("sync.page.next", every=status.get("every", ""), at=common.when(status["next_at"]))
        )
    review = _review_rows()
    if review.empty:
        return
    why = review["why_ja"] if lang() == "ja" else review["why"]
    st.caption(tr("sync.page.review", n=len(review)))
    st.dataframe(
        pd.DataFrame(
            {
                tr("mail.col.date"): review["date"],
                tr("mail.col.from"): review["sender"],
                tr("mail.col.subject"): review["subject"],
                tr("mail.col.why"): why,
            }
        ),
        hide_index=True,
        key="sync_review_table",
    )
