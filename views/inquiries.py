"""Inquiries: a searchable, filterable table; one inquiry's timeline and each rule's verdict."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines.api import STATUSES
from pipelines.i18n import missing_text, reasons_text, status_label, t, when_text
from views.common import as_of, empty_database_screen, lang, run, tr


def verdicts(row: pd.Series) -> list[tuple[bool, str]]:
    """Each rule's verdict for one inquiry, in the order the rules are applied (ok?, text)."""
    yes_no = []
    yes_no.append(
        (
            len(row.missing_fields) == 0,
            tr("verdict.details")
            + (
                ""
                if len(row.missing_fields) == 0
                else f" — {missing_text(list(row.missing_fields), lang())}"
            ),
        )
    )
    if pd.notna(row.lead_days):
        yes_no.append((not row.urgent, tr("verdict.lead", lead=int(row.lead_days))))
    else:
        yes_no.append((not row.urgent_by_text, tr("verdict.no_date_text")))
    if row.quoted:
        yes_no.append(
            (
                bool(row.quote_sla_met),
                tr(
                    "verdict.quoted",
                    at=str(row.first_quote_at)[:16],
                    days=int(row.quote_business_days),
                ),
            )
        )
        yes_no.append((not row.silent, tr("verdict.silent")))
    else:
        yes_no.append((False, tr("verdict.not_quoted")))
    yes_no.append((not row.late_request, tr("verdict.late_request")))
    if row.converted:
        yes_no.append((True, tr("verdict.converted")))
        yes_no.append((not row.late_contract, tr("verdict.late_contract")))
        yes_no.append((not row.no_prior_quote, tr("verdict.no_prior_quote")))
    return yes_no


def main() -> None:
    if empty_database_screen():
        return
    st.title(tr("inq.title"))
    facts = run("inquiry_facts", as_of())
    c1, c2, c3, c4 = st.columns(4)
    search = c1.text_input(tr("inq.search"), key="search")
    statuses = c2.multiselect(
        tr("inq.status"),
        STATUSES,
        format_func=lambda s: status_label(s, lang()),
        key="status_filter",
        placeholder=tr("inq.any"),
    )
    codes = sorted({c for codes in facts["reason_codes"] for c in codes})
    reasons = c3.multiselect(
        tr("inq.reason"),
        codes,
        format_func=lambda c: t(f"reason.{c}", lang()),
        key="reason_filter",
        placeholder=tr("inq.any"),
    )
    services = c4.multiselect(
        tr("inq.service"),
        sorted(facts["service"].dropna().unique()),
        key="service_filter",
        placeholder=tr("inq.any"),
    )
    channels = st.multiselect(
        tr("inq.channel"),
        sorted(facts["channel"].dropna().unique()),
        key="channel_filter",
        placeholder=tr("inq.any"),
    )
    shown = facts
    if search:
        hay = (
            shown[["inquiry_id", "customer_name", "target_phone", "message", "customer_email"]]
            .fillna("")
            .astype(str)
            .agg(" ".join, axis=1)
        )
        shown = shown[hay.str.contains(search, case=False, regex=False)]
    if statuses:
        shown = shown[shown["status"].isin(statuses)]
    if reasons:
        shown = shown[[any(c in reasons for c in codes) for codes in shown["reason_codes"]]]
    if services:
        shown = shown[shown["service"].isin(services)]
    if channels:
        shown = shown[shown["channel"].isin(channels)]
    shown = shown.sort_values("received_at", ascending=False)
    st.caption(tr("inq.count", n=len(shown)))
    st.dataframe(
        pd.DataFrame(
            {
                tr("col.inquiry_id"): shown["inquiry_id"],
                tr("col.received_at"): shown["received_at"],
                tr("col.customer_name"): shown["customer_name"],
                tr("col.service"): shown["service"],
                tr("col.channel"): shown["channel"],
                tr("col.requested_for"): [when_text(v) for v in shown["requested_for"]],
                tr("col.status"): [status_label(s, lang()) for s in shown["status"]],
                tr("col.reasons"): [reasons_text(list(r), lang()) for r in shown["reason_codes"]],
                tr("col.staff_minutes_total"): shown["staff_minutes"],
            }
        ),
        hide_index=True,
        key="inquiry_table",
        height=360,
    )
    if shown.empty:
        return
    picked = st.selectbox(tr("inq.pick"), list(shown["inquiry_id"][:500]), key="picked")
    row = facts[facts["inquiry_id"] == picked].iloc[0]
    left, right = st.columns(2)
    with left:
        st.subheader(tr("inq.timeline"))
        events = run("events_of", picked)
        timeline = pd.DataFrame(
            {
                tr("col.at"): [row.received_at, *events["event_at"]],
                tr("col.what"): [tr("inq.received")]
                + [t(f"event.{kind}", lang()) for kind in events["event"]],
                tr("col.staff_minutes"): [row.inquiry_staff_minutes, *events["staff_minutes"]],
                tr("col.note"): [row.message, *events["note"]],
            }
        )
        st.dataframe(timeline, hide_index=True, key="timeline")
    with right:
        st.subheader(tr("inq.verdicts"))
        for ok, text in verdicts(row):
            icon = ":material/check_circle:" if ok else ":material/cancel:"
            st.markdown(f"{icon} {text}")
        st.markdown(
            "**"
            + tr(
                "verdict.status",
                status=status_label(row.status, lang()),
                reasons=reasons_text(list(row.reason_codes), lang()),
            )
            + "**"
        )


main()
