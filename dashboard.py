"""Streamlit entry point: sidebar (language, as-of date, optional password) and page router."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os

import streamlit as st

from pipelines.i18n import LANGS
from pipelines.vocabulary import FIRST_DATE, LAST_DATE
from views import style
from views.common import as_of, lang, tr
from views.notices import freshness_caption, stale_banner

st.set_page_config(page_title="Operations · 電話代行", page_icon=":material/call:", layout="wide")


def password_ok() -> bool:
    """Ask for the office password when secrets.toml sets password_sha256."""
    try:
        expected = st.secrets.get("password_sha256")
    except FileNotFoundError:
        expected = None
    if not expected or st.session_state.get("authenticated"):
        return True
    entered = st.text_input(tr("login.password"), type="password")
    if entered:
        if hmac.compare_digest(hashlib.sha256(entered.encode()).hexdigest(), str(expected)):
            st.session_state["authenticated"] = True
            st.rerun()
        st.error(tr("login.wrong"))
    return False


def sidebar() -> None:
    """Language and as-of pickers, written back to the URL so a view can be shared."""
    current = lang()
    chosen = st.sidebar.selectbox(
        tr("sidebar.language"),
        LANGS,
        index=LANGS.index(current),
        format_func=lambda c: {"en": "English", "ja": "日本語"}[c],
        key="lang_select",
    )
    if chosen != current:
        st.query_params["lang"] = chosen
        st.rerun()
    day = st.sidebar.date_input(
        tr("sidebar.as_of"),
        value=as_of(),
        min_value=FIRST_DATE,
        max_value=LAST_DATE,
        key="as_of_select",
    )
    if day != as_of():
        st.query_params["as_of"] = day.isoformat()
        st.rerun()
    fresh = freshness_caption()
    if fresh:
        st.sidebar.caption(fresh)


if password_ok():
    sidebar()
    page = st.navigation(
        [
            st.Page(
                "views/overview.py",
                title=tr("nav.overview"),
                icon=":material/monitoring:",
                default=True,
            ),
            st.Page("views/whatif.py", title=tr("nav.whatif"), icon=":material/tune:"),
            st.Page("views/today.py", title=tr("nav.today"), icon=":material/call:"),
            st.Page("views/inquiries.py", title=tr("nav.inquiries"), icon=":material/search:"),
            st.Page("views/data.py", title=tr("nav.data"), icon=":material/database:"),
        ]
    )
    try:
        style.apply()
        stale_banner()
        page.run()
    except Exception:  # a page error: a short message in the reader's language, details to the log
        if os.environ.get("OPSDASH_RAISE_PAGE_ERRORS"):  # tests see the exception itself
            raise
        logging.getLogger("opsdash").exception("page %s failed", page.title)
        st.error(tr("error.page"))
