"""Streamlit entry point: the lock (views/login.py), the sidebar (pages, language, as-of, who is signed in)
and the page router, by role."""

from __future__ import annotations

import logging
import os

import duckdb
import streamlit as st

from pipelines.i18n import LANG_NAMES, LANGS, t
from pipelines.store import DatabaseReadOnly, DatabaseTooNew, NotADatabase
from pipelines.untrusted import for_markdown
from pipelines.vocabulary import FIRST_DATE, LAST_DATE
from views import login, style
from views.common import as_of, db_path, lang, tr
from views.notices import freshness_caption, stale_banner

# An emoji icon is drawn by the browser (a data: URL); a :material/…: page icon made every page view
# fetch an SVG from fonts.gstatic.com.
st.set_page_config(page_title="Operations · 電話代行", page_icon="📞", layout="wide")

# (file, title key, icon, roles that see it); without accounts the local user sees the first six
# (Accounts then only makes the first owner).
PAGES = (
    ("views/overview.py", "nav.overview", ":material/monitoring:", ("owner",)),
    ("views/whatif.py", "nav.whatif", ":material/tune:", ("owner",)),
    ("views/today.py", "nav.today", ":material/call:", ("owner", "staff")),
    ("views/inquiries.py", "nav.inquiries", ":material/search:", ("owner", "staff")),
    ("views/data.py", "nav.data", ":material/database:", ("owner", "staff")),
    ("views/accounts.py", "nav.accounts", ":material/group:", ("owner",)),
    ("views/audit.py", "nav.audit", ":material/history:", ("owner",)),
    ("views/settings.py", "nav.settings", ":material/settings:", ("owner",)),
)
OPEN_PAGES = 6  # without accounts: the pages up to Accounts (its first-owner form), not Audit
DATABASE_ERRORS = (NotADatabase, DatabaseTooNew, DatabaseReadOnly, duckdb.Error)


def sidebar() -> None:
    """Language and as-of pickers, written back to the URL so a view can be shared."""
    current = lang()
    chosen = st.sidebar.selectbox(
        tr("sidebar.language"),
        LANGS,
        index=LANGS.index(current),
        format_func=LANG_NAMES.get,
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
        st.sidebar.caption(fresh)  # dates and times only, no stored text


def router(role: str | None) -> tuple[st.Page, bool, st.Page]:
    """Every page is routed (so a URL to any page keeps its place); the sidebar lists the role's.

    Returns the page asked for, whether the role may see it, and the role's home page (its first:
    the Overview for the owner, Today for staff).
    """
    shown = PAGES[:OPEN_PAGES] if role is None else [p for p in PAGES if role in p[3]]
    default = shown[0][0] if shown else PAGES[0][0]
    pages = {
        file: st.Page(
            file,
            title=tr(title),
            icon=icon,
            default=file == default,
            url_path=None if file == default else file.removeprefix("views/").removesuffix(".py"),
        )
        for file, title, icon, _roles in PAGES
    }
    page = st.navigation(list(pages.values()), position="hidden")
    for file, _title, _icon, _roles in shown:
        st.sidebar.page_link(pages[file])
    allowed = any(
        pages[file] is page or pages[file].url_path == page.url_path for file, *_ in shown
    )
    return page, allowed, pages[default]


def database_problem(exc: BaseException) -> str:
    """The reader's-language message for a database that cannot be read (garbage, too new, …)."""
    logging.getLogger("opsdash").warning("database unusable: %s", exc)
    problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return t("error.database", lang(), path=for_markdown(db_path()), problem=for_markdown(problem))


def run_page(page: st.Page) -> None:
    """The page itself, under the stale-data banner; errors become a short message in the reader's
    language (details to the log), never a traceback."""
    try:
        stale_banner()
        page.run()
    except DATABASE_ERRORS as exc:  # e.g. the file was replaced by garbage while the app runs
        st.error(database_problem(exc))
    except Exception:
        if os.environ.get("OPSDASH_RAISE_PAGE_ERRORS"):  # tests see the exception itself
            raise
        logging.getLogger("opsdash").exception("page %s failed", page.title)
        st.error(tr("error.page"))


# The lock: stops here when anything it depends on cannot be trusted, or nobody is signed in (the
# sign-in card then stands in for the page the URL names, and that page opens once signed in).
locked = login.check_config()
account = login.signed_in() if locked else None
if locked and account is None:
    router("nobody")  # every page routed, none listed
    login.require_login()
page, allowed, home = router(account.role if account else None)
arrived = login.just_signed_in()
if not allowed and arrived:
    # the sign-in card stood in for a page this role may not see (the owner's home, or the page the
    # last person signed out from): go to this role's home, keeping ?as_of=, ?lang=
    st.switch_page(home, query_params=st.query_params.to_dict())
style.apply()
try:
    sidebar()
except DATABASE_ERRORS as exc:
    st.error(database_problem(exc))
    st.stop()
login.sidebar_account(account)
if account is None:
    login.open_notice()
if not allowed:
    login.forbidden(account, home)
else:
    run_page(page)
