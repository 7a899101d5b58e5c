"""Streamlit entry point: sidebar (language, as-of date, optional password) and page router."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os

import duckdb
import streamlit as st

from pipelines.i18n import LANGS, t
from pipelines.settings import SettingsError
from pipelines.store import DatabaseReadOnly, DatabaseTooNew, NotADatabase
from pipelines.untrusted import for_markdown
from pipelines.vocabulary import FIRST_DATE, LAST_DATE
from views import style
from views.common import as_of, db_path, lang, settings, tr
from views.notices import freshness_caption, stale_banner

# An emoji icon is drawn by the browser (a data: URL); a :material/…: page icon made every page view
# fetch an SVG from fonts.gstatic.com.
st.set_page_config(page_title="Operations · 電話代行", page_icon="📞", layout="wide")


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
        st.sidebar.caption(for_markdown(fresh))


def settings_problem() -> str | None:
    """The reader's-language message when the settings file cannot be used (None when it can)."""
    try:
        settings()
    except (SettingsError, OSError) as exc:
        logging.getLogger("opsdash").warning("settings unusable: %s", exc)
        return t("error.settings", lang(), problem=for_markdown(exc))
    return None


def database_problem(exc: BaseException) -> str:
    """The reader's-language message for a database that cannot be read (garbage, too new, …)."""
    logging.getLogger("opsdash").warning("database unusable: %s", exc)
    problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return t("error.database", lang(), path=for_markdown(db_path()), problem=for_markdown(problem))


DATABASE_ERRORS = (NotADatabase, DatabaseTooNew, DatabaseReadOnly, duckdb.Error)

startup_problem = settings_problem()
if startup_problem:
    st.error(startup_problem)
    st.stop()

try:
    sidebar_ready = password_ok()
    if sidebar_ready:
        sidebar()
except DATABASE_ERRORS as exc:
    st.error(database_problem(exc))
    st.stop()

if sidebar_ready:
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
    except DATABASE_ERRORS as exc:  # e.g. the file was replaced by garbage while the app runs
        st.error(database_problem(exc))
    except Exception:  # a page error: a short message in the reader's language, details to the log
        if os.environ.get("OPSDASH_RAISE_PAGE_ERRORS"):  # tests see the exception itself
            raise
        logging.getLogger("opsdash").exception("page %s failed", page.title)
        st.error(tr("error.page"))
