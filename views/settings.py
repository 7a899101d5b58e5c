"""Settings (owner): the reply drafts' templates, edited with a preview on a real inquiry.

Below them, the office addresses (views/office_addresses.py).

Saving writes the active settings file ($OPSDASH_SETTINGS, else the bundled one) atomically, keeping
its other text, and leaves a settings_change row in the audit trail.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pipelines import drafts
from pipelines.office import audit
from pipelines.settings import SettingsError, settings_path
from views import common, office_addresses
from views.common import as_of, empty_database_screen, tr


def settings_file() -> Path:
    """The settings file the dashboard reads."""
    return settings_path()


def preview(reason: str, lang: str, subject: str, body: str) -> None:
    """The edited template filled with one inquiry's facts and the settings' numbers."""
    inquiry_id = st.text_input(tr("settings.preview_id"), key="preview_id").strip()
    if not inquiry_id:
        st.caption(tr("settings.preview_hint"))
        return
    detail = common.inquiry_detail(inquiry_id, as_of())
    if detail is None:
        st.warning(tr("inq.not_found", inquiry_id=inquiry_id, day=common.day_label(as_of())))
        return
    values = drafts.fill_values(detail, lang, common.settings())
    try:
        st.code(subject.format_map(values), language=None)
        st.code(body.format_map(values), language=None, wrap_lines=True)
    except (KeyError, ValueError, IndexError) as exc:
        st.warning(tr("settings.bad_template", error=str(exc)))


def main() -> None:
    if empty_database_screen():
        return
    st.title(tr("settings.title"))
    st.caption(tr("settings.file"))
    with st.expander(tr("data.details"), icon=":material/info:"):
        st.text(tr("settings.file_path", path=str(settings_file())))
    reason = st.selectbox(
        tr("settings.reason"),
        drafts.REASONS,
        # labels worked out now: a widget's format_func may run outside this page run
        format_func={r: tr(f"settings.reason.{r}") for r in drafts.REASONS}.get,
        key="tpl_reason",
    )
    lang = st.segmented_control(
        tr("work.draft_lang"),
        ("ja", "en"),
        default="ja",
        format_func=lambda c: {"en": "English", "ja": "日本語"}[c],
        key="tpl_lang",
    )
    lang = lang or "ja"
    current = drafts.templates(common.settings())[reason]
    subject = st.text_input(
        tr("settings.subject"), value=current[f"subject_{lang}"], key=f"s_{reason}_{lang}"
    )
    body = st.text_area(
        tr("settings.body"), value=current[f"body_{lang}"], height=260, key=f"b_{reason}_{lang}"
    )
    st.caption(
        tr("settings.placeholders", names=", ".join(f"{{{p}}}" for p in drafts.PLACEHOLDERS))
    )
    preview(reason, lang, subject, body)
    if st.button(tr("settings.save"), type="primary", key="tpl_save"):
        try:
            drafts.save_template(settings_file(), reason, lang, subject, body)
        except (ValueError, SettingsError, OSError) as exc:
            st.error(tr("settings.bad_template", error=str(exc)))
            return
        audit.record(
            common.db_path(),
            common.who(),
            "settings_change",
            {"what": "drafts", "reason": reason, "lang": lang},
        )
        st.success(tr("settings.saved"))


main()
office_addresses.show()  # also on an empty database: the mailbox needs them first
