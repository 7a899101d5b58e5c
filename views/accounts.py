"""Accounts (owner only): add people, change role, language, e-mail and staff names, reset a password,
disable an account. Every change is in the audit trail under the owner's name. Without any account
(the dashboard then serves this computer alone) the page makes the first owner instead."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines.i18n import LANG_NAMES
from pipelines.office import accounts
from pipelines.office.accounts import ACCOUNT_LANGS, ROLES, Account, AccountError
from views import common
from views.common import tr


def _who() -> str:
    account = common.current_user()
    return account.name if account else "?"


def _error(exc: AccountError) -> None:
    values = {k: str(v) for k, v in exc.values.items()}
    st.error(tr(f"account.err.{exc.code}", **values))


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.replace("、", ",").split(",") if n.strip())


def show_table(people: list[Account]) -> None:
    """Every account as a table (never the password hashes)."""
    table = pd.DataFrame(
        [
            {
                tr("accounts.name"): a.name,
                tr("accounts.display"): a.display_name,
                tr("accounts.role"): tr(f"role.{a.role}"),
                tr("accounts.lang"): a.lang,
                tr("accounts.email"): a.email,
                tr("accounts.staff_names"): ", ".join(a.staff_names),
                tr("accounts.col.state"): tr(
                    "users.disabled_state" if a.disabled else "users.enabled"
                ),
            }
            for a in people
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def add_form() -> None:
    """The form that adds an account."""
    with st.form("account_add", clear_on_submit=False):
        st.subheader(tr("accounts.add"))
        left, right = st.columns(2)
        name = left.text_input(tr("accounts.name"), key="add_name")
        display = right.text_input(tr("accounts.display"), key="add_display")
        role = left.selectbox(
            tr("accounts.role"),
            ROLES,
            index=1,
            format_func=lambda r: tr(f"role.{r}"),
            key="add_role",
        )
        lang = right.selectbox(
            tr("accounts.lang"), ACCOUNT_LANGS, format_func=LANG_NAMES.get, key="add_lang"
        )
        email = left.text_input(tr("accounts.email"), key="add_email")
        staff = right.text_input(tr("accounts.staff_names"), key="add_staff")
        password = left.text_input(tr("accounts.password"), type="password", key="add_pw")
        again = right.text_input(tr("accounts.password_again"), type="password", key="add_pw2")
        if st.form_submit_button(tr("accounts.submit_add"), type="primary"):
            added = _added(password, again, name, role, _who(), display, email, lang, _names(staff))
            if added is not None:
                st.success(tr("accounts.done_add", name=added.name))


def _added(
    password: str, again: str, name: str, role: str, *args: object, **kwargs: object
) -> Account | None:
    """A form's new account (accounts.add_account's further arguments), or None after saying in
    words why not (the two passwords differ, or the store refused it)."""
    if password != again:
        st.error(tr("account.err.mismatch"))
        return None
    try:
        return accounts.add_account(common.db_path(), name, password, role, *args, **kwargs)
    except AccountError as exc:
        _error(exc)
        return None


def edit_form(people: list[Account]) -> None:
    """The form that changes one account, and the one that resets its password."""
    st.subheader(tr("accounts.edit"))
    names = [a.name for a in people]
    chosen = st.selectbox(tr("accounts.pick"), names, key="edit_pick")
    account = next(a for a in people if a.name == chosen)
    with st.form(f"account_edit_{account.name}"):
        left, right = st.columns(2)
        display = left.text_input(tr("accounts.display"), account.display_name)
        role = right.selectbox(
            tr("accounts.role"),
            ROLES,
            index=ROLES.index(account.role),
            format_func=lambda r: tr(f"role.{r}"),
        )
        lang = left.selectbox(
            tr("accounts.lang"),
            ACCOUNT_LANGS,
            index=ACCOUNT_LANGS.index(account.lang),
            format_func=LANG_NAMES.get,
        )
        email = right.text_input(tr("accounts.email"), account.email)
        staff = left.text_input(tr("accounts.staff_names"), ", ".join(account.staff_names))
        disabled = right.checkbox(tr("accounts.disabled"), account.disabled)
        if st.form_submit_button(tr("accounts.submit_save"), type="primary"):
            try:
                accounts.update_account(
                    common.db_path(),
                    account.name,
                    _who(),
                    display_name=display,
                    role=role,
                    lang=lang,
                    email=email,
                    staff_names=_names(staff),
                    disabled=disabled,
                )
            except AccountError as exc:
                _error(exc)
            else:
                st.success(tr("accounts.done_save", name=account.name))
    with st.form(f"account_reset_{account.name}"):
        st.markdown(f"**{tr('accounts.reset')}**")
        password = st.text_input(tr("accounts.password"), type="password")
        again = st.text_input(tr("accounts.password_again"), type="password")
        if st.form_submit_button(tr("accounts.submit_reset")):
            if password != again:
                st.error(tr("account.err.mismatch"))
                return
            try:
                accounts.set_password(common.db_path(), account.name, password, _who())
            except AccountError as exc:
                _error(exc)
            else:
                st.success(tr("accounts.done_reset", name=account.name))


def first_owner_form() -> None:
    """Without accounts: make the first owner here, as `users add NAME --role owner` does; from then
    on every page needs a login (docs/people.md "Creating the first owner")."""
    st.info(tr("accounts.first_help"), icon=":material/lock:")
    with st.form("first_owner", clear_on_submit=False):
        st.subheader(tr("accounts.first_title"))
        # one row of columns per pair: on a phone they stack in reading order
        left, right = st.columns(2)
        name = left.text_input(tr("accounts.name"), key="first_name")
        display = right.text_input(tr("accounts.display"), key="first_display")
        left, right = st.columns(2)
        password = left.text_input(tr("accounts.password"), type="password", key="first_pw")
        again = right.text_input(tr("accounts.password_again"), type="password", key="first_pw2")
        here = list(ACCOUNT_LANGS).index(common.lang()) if common.lang() in ACCOUNT_LANGS else 0
        lang = st.selectbox(
            tr("accounts.lang"), ACCOUNT_LANGS, index=here, format_func=LANG_NAMES.get,
            key="first_lang",
        )  # fmt: skip
        if st.form_submit_button(tr("accounts.first_submit"), type="primary"):
            made = _added(
                password, again, name, "owner", common.who(), display, "", lang, first=True
            )
            if made is not None:
                st.session_state["opsdash_first_owner"] = made.name  # said on the sign-in card
                st.session_state["login_name"] = made.name  # and its name filled in
                st.rerun()  # the lock is on from this run: the sign-in card


def main() -> None:
    """The Accounts page."""
    st.title(tr("accounts.title"))
    if common.current_user() is None:  # no account yet: the router lets only this form through
        first_owner_form()
        return
    add_form()
    people = accounts.list_accounts(common.db_path())
    if people:
        edit_form(people)
        show_table(accounts.list_accounts(common.db_path()))


main()
