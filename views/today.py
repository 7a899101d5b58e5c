"""Today (staff): calls to make, contracts that need attention, and last-day-to-sign inquiries."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines.i18n import missing_text, reasons_text, when_text
from views.common import as_of, empty_database_screen, lang, run, safe_csv, tr


def table(frame: pd.DataFrame, extra: str | None) -> pd.DataFrame:
    """The columns staff need, in the chosen language."""
    out = pd.DataFrame(
        {
            tr("col.inquiry_id"): frame["inquiry_id"],
            tr("col.customer_name"): frame["customer_name"].fillna(""),
            tr("col.target_phone"): frame["target_phone"].fillna(""),
            tr("col.requested_for"): [when_text(v) for v in frame["requested_for"]],
            tr("col.service"): frame["service"].fillna(""),
        }
    )
    if extra == "reasons":
        out[tr("col.reasons")] = [reasons_text(list(r), lang()) for r in frame["reason_codes"]]
    if extra == "missing":
        out[tr("col.sign_by_date")] = [str(d)[:10] for d in frame["sign_by_date"]]
        out[tr("col.missing")] = [missing_text(list(m), lang()) for m in frame["missing_fields"]]
    return out


def main() -> None:
    if empty_database_screen():
        return
    st.title(tr("today.title"))
    day = st.date_input(tr("today.day"), value=as_of(), key="today_day")
    lists = run("staff_lists", day)
    for name, extra in (("eligible", None), ("attention", "reasons"), ("sign_by", "missing")):
        frame = lists[name]
        st.subheader(f"{tr(f'today.{name}')} ({len(frame)})")
        st.caption(tr(f"today.{name}_help"))
        if frame.empty:
            st.info(tr("today.none"))
            continue
        shown = table(frame, extra)
        st.dataframe(shown, hide_index=True, key=f"list_{name}")
        st.download_button(
            tr("today.download"),
            safe_csv(shown),
            file_name=f"{name}_{day}.csv",
            mime="text/csv",
            key=f"download_{name}",
        )


main()
