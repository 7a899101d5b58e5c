"""The lock on every page: security checks that fail closed, the login card, the session cookie, logout.

``gate()`` runs before any page draws. It stops the script with a message in the reader's language when
the settings, an old ``secrets.toml``, the office store or the signing key cannot be trusted; without
accounts it serves this computer only (with a notice on every page); with accounts it shows the login
card until a valid session exists. The URL (page and ``?…``) is never changed, so a deep link lands where
it pointed once the login succeeds.
"""

from __future__ import annotations

import json
import re
import tomllib
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from pipelines.i18n import t
from pipelines.office import accounts, sessions
from pipelines.office.accounts import Account, AccountError
from pipelines.office.store import OfficeStoreError
from pipelines.settings import SettingsError
from pipelines.untrusted import for_markdown
from views import common, http_gate
from views.common import tr

TOKEN_KEY = "opsdash_token"
DEAD_COOKIE_KEY = "opsdash_dead_cookie"
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
COOKIE_DAYS = 30  # the browser may keep it this long; the server ends it after the idle minutes
JAPAN = ZoneInfo("Asia/Tokyo")
# A secrets.toml key that looks like the old password gate's, misspelt or not (password_sha256,
# pasword_sha256, passwd, pw_hash …).
_GATE_WORDS = re.compile(r"pa?s+w|pwd|pw_|hash|sha\d*|secret|auth|login|cred", re.I)


def _closed(message: str, /, **values: object) -> None:
    """Stop serving: the reason and what to fix, in the reader's language, and nothing else."""
    language = common.lang()  # not tr(): the settings themselves may be what is broken
    st.title(t("closed.title", language))
    shown = {k: for_markdown(v) for k, v in values.items()}  # paths and errors are shown as typed
    st.error(t(message, language, **shown), icon=":material/lock:")
    st.stop()


def _secrets_problem() -> tuple[str, dict[str, str]] | None:
    """A Streamlit secrets file that is unreadable or still sets the old shared password."""
    for name in st.get_option("secrets.files") or ():
        path = Path(name)
        if not path.exists():
            continue
        try:
            data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return "closed.secrets_invalid", {"path": str(path), "problem": type(exc).__name__}
        keys = [k for k in _all_keys(data) if _GATE_WORDS.search(k)]
        if keys:
            return "closed.secrets_password", {"path": str(path), "setting": keys[0]}
    return None


def _all_keys(data: dict) -> list[str]:
    found = []
    for key, value in data.items():
        found.append(str(key))
        if isinstance(value, dict):
            found += _all_keys(value)
    return found


def check_config() -> bool:
    """Fail closed on anything the lock depends on; True when accounts exist."""
    try:
        common.settings()
    except (SettingsError, OSError) as exc:  # broken, or missing ($OPSDASH_SETTINGS)
        _closed("closed.settings", problem=exc)
    db = common.db_path()
    try:
        any_accounts = accounts.has_accounts(db)
        sessions.signing_key(db)
    except OfficeStoreError as exc:
        _closed(f"closed.store.{exc.code}", path=exc.path, detail=exc.detail or exc.code)
    secrets_problem = _secrets_problem()
    if secrets_problem and not (any_accounts and secrets_problem[0] == "closed.secrets_password"):
        _closed(secrets_problem[0], **secrets_problem[1])
    if not any_accounts:
        address = st.get_option("server.address")
        if str(address or "") not in LOCAL_ADDRESSES:
            _closed("closed.address", address=address or "0.0.0.0")
    return any_accounts


def _cookie_script(value: str, max_age: int) -> None:
    """Set (or with max_age 0, remove) the session cookie: HttpOnly through the gate's one-time code
    when serve.py put the gate in front (views/http_gate.py), else by a page script."""
    if http_gate.installed():
        url = json.dumps(f"{http_gate.base_path()}{http_gate.SESSION_PATH}?code=")
        code = json.dumps(http_gate.exchange_code(value, max_age))
        st.html(
            f'<script>fetch({url} + {code}, {{credentials: "same-origin", cache: "no-store"}});'
            "</script>",
            unsafe_allow_javascript=True,
        )
        return
    secure = ' + (location.protocol === "https:" ? "; Secure" : "")'
    cookie = json.dumps(
        f"{sessions.COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; SameSite=Strict"
    )
    st.html(f"<script>document.cookie = {cookie}{secure};</script>", unsafe_allow_javascript=True)


def _presented_token() -> tuple[str | None, bool]:
    """The session token of this tab or its cookie; and whether it came from this tab."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        return token, True
    cookie = st.context.cookies.get(sessions.COOKIE_NAME)
    if cookie and cookie != st.session_state.get(DEAD_COOKIE_KEY):
        return cookie, False
    return None, False


def signed_in() -> Account | None:
    """The account of this tab's session or the browser's cookie, if it is still live."""
    db = common.db_path()
    token, from_tab = _presented_token()
    account = None
    if token:
        account = sessions.resume(db, token, common.settings().session_idle_minutes)
    if account is not None:
        st.session_state[TOKEN_KEY] = token
        st.session_state["opsdash_account"] = account
        if st.context.cookies.get(sessions.COOKIE_NAME) != token:
            with st.sidebar:
                _cookie_script(token, COOKIE_DAYS * 24 * 3600)
        return account
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop("opsdash_account", None)
    if token and not from_tab:
        st.session_state[DEAD_COOKIE_KEY] = token
    if token:
        st.session_state["opsdash_expired"] = True
    return None


def require_login() -> None:
    """The sign-in card instead of any page (the browser forgets a dead cookie); stops the script."""
    if st.context.cookies.get(sessions.COOKIE_NAME):
        _cookie_script("", 0)
    notice = None
    if st.session_state.pop("opsdash_expired", False):
        notice = tr("signin.expired", minutes=common.settings().session_idle_minutes)
    if st.session_state.pop("opsdash_signed_out", False):
        notice = tr("signin.signed_out")
    if made := st.session_state.pop("opsdash_first_owner", None):  # views/accounts.py
        notice = tr("accounts.first_done", name=made)
    login_card(notice)
    st.stop()


def login_card(notice: str | None = None) -> None:
    """The product's sign-in card, centered; on success the same URL runs again, signed in."""
    _, middle, _ = st.columns([1, 1.4, 1])
    with middle, st.container(border=True):
        st.title(tr("people.product"))
        st.subheader(tr("signin.title"))
        if notice:
            st.info(notice, icon=":material/logout:")
        with st.form("login", border=False):
            name = st.text_input(tr("signin.name"), key="login_name", autocomplete="username")
            password = st.text_input(
                tr("signin.password"),
                type="password",
                key="login_password",
                autocomplete="current-password",
            )
            submitted = st.form_submit_button(tr("signin.submit"), type="primary")
        if submitted:
            _try_login(name, password)
        st.caption(tr("signin.forgot"))


def _try_login(name: str, password: str) -> None:
    db = common.db_path()
    try:
        account = accounts.login(db, name, password)
    except AccountError as exc:
        if exc.code == "locked":
            until = exc.values["until"].astimezone(JAPAN).strftime("%Y-%m-%d %H:%M")
            st.error(tr("signin.locked", until=until), icon=":material/lock_clock:")
        else:
            st.error(tr("signin.wrong"), icon=":material/error:")
        return
    st.session_state[TOKEN_KEY] = sessions.start(db, account)
    st.session_state.pop(DEAD_COOKIE_KEY, None)
    st.session_state["opsdash_just_signed_in"] = True
    st.rerun()


def just_signed_in() -> bool:
    """True on the first run after a successful sign-in (once)."""
    return bool(st.session_state.pop("opsdash_just_signed_in", False))


def sidebar_account(account: Account | None) -> None:
    """Who is signed in and the sign-out button (nothing without accounts)."""
    if account is None:
        return
    st.sidebar.caption(
        tr("people.signed_in", name=account.display_name, role=tr(f"role.{account.role}"))
    )
    if st.sidebar.button(tr("people.logout"), key="logout", icon=":material/logout:"):
        sessions.end(common.db_path(), st.session_state.get(TOKEN_KEY), account.name)
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state.pop("opsdash_account", None)
        st.session_state[DEAD_COOKIE_KEY] = st.context.cookies.get(sessions.COOKIE_NAME)
        st.session_state["opsdash_signed_out"] = True
        st.rerun()


def open_notice() -> None:
    """Every page without accounts: one line saying anyone on this computer can see it, and folded
    under it the whole notice with how to make the first owner (a phone's first screen stays the page's)."""
    st.html(
        '<details role="note" class="opsdash-open" style="padding:.3rem .8rem;border-radius:.4rem;'
        'background:#fff4d6;border-left:.3rem solid #e0a800;font-size:.85rem">'
        f"<summary>{escape(tr('people.open_notice_short'))}</summary>"
        f'<div style="margin-top:.3rem">{escape(tr("people.open_notice"))}</div></details>'
    )


def forbidden(account: Account | None, home: st.Page | None = None) -> None:
    """A polite refusal for a page the account's role does not include (without accounts: the
    Audit and Settings pages, which need an owner account first), with the way to its home page."""
    st.title(tr("people.product"))
    if account is None:
        st.warning(tr("people.open_notice"), icon=":material/lock_open:")
    else:
        st.warning(tr("people.forbidden", role=tr(f"role.{account.role}")), icon=":material/block:")
    if home is not None:
        st.page_link(home, label=tr("people.go_home", page=home.title), icon=":material/home:")
