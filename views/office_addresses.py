"""The owner's editor of the office addresses ([mailbox] office_addresses), saved into the settings file.

Shown on the Settings page and, for the owner, beside the mailbox upload on the Data page. Saving is
atomic, keeps the file's other text, and leaves a settings_change row in the audit trail.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pipelines.mailbox.settings import (
    load_mailbox_settings,
    office_address_problems,
    save_office_addresses,
)
from pipelines.settings import SettingsError, settings_path
from pipelines.untrusted import for_markdown
from views import common
from views.common import tr


def settings_file() -> Path:
    """The settings file the dashboard reads."""
    return settings_path()


def is_owner() -> bool:
    """The signed-in account is an owner (or nobody signed in: no accounts yet, 127.0.0.1 only)."""
    account = common.current_user()
    return account is None or account.role == "owner"


def show() -> None:
    """The editor: one address a line, checked, saved."""
    path = settings_file()
    try:
        current = load_mailbox_settings(path).office_addresses
    except SettingsError:
        current = ()
    st.subheader(tr("sync.addresses.title"))
    text = st.text_area(
        tr("sync.addresses.help", file=path.name),
        value="\n".join(current),
        height=120,
        key="office_addresses",
    )
    if not st.button(tr("sync.addresses.save"), key="save_office_addresses"):
        return
    entries = [line.strip() for line in text.splitlines() if line.strip()]
    bad = office_address_problems(entries)
    if bad:
        st.error(tr("sync.addresses.invalid", entry=for_markdown(bad[0])))
        return
    try:
        saved = save_office_addresses(path, entries)
    except (SettingsError, OSError) as exc:
        st.error(tr("sync.addresses.bad", problem=for_markdown(exc)))
        return
    common.record("settings_change", {"what": "office_addresses", "count": len(saved)})
    st.success(tr("sync.addresses.saved", n=len(saved)))
