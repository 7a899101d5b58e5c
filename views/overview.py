"""Overview (owner): headline metrics against the previous period, trends, funnel, staff time."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from pipelines.i18n import status_label
from views.common import as_of, empty_database_screen, lang, pct, run, tr

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}
TRENDS = [
    ("conversion_rate", True),
    ("silent_after_quote_rate", True),
    ("urgent_requests", False),
    ("staff_minutes_per_nonconverting_inquiry", False),
    ("quote_sla_rate", True),
]


def rate_delta(now: float | None, before: float | None) -> str | None:
    """Change of a rate in percentage points."""
    if now is None or before is None:
        return None
    return f"{(now - before) * 100:+.1f} pt"


def trend_chart(series: pd.DataFrame, field: str, is_rate: bool) -> alt.Chart:
    """One metric per period; periods whose quotes cannot all be judged yet are drawn lighter."""
    frame = series[["period_start", field, "quoted", "judged_quotes"]].copy()
    judged = frame["judged_quotes"] >= frame["quoted"]
    frame["state"] = [tr("trend.judged") if j else tr("trend.not_judged") for j in judged]
    frame["value"] = frame[field] * (100 if is_rate else 1)
    y_title = (
        tr("axis.rate")
        if is_rate
        else (tr("axis.minutes") if "minutes" in field else tr("axis.count"))
    )
    base = alt.Chart(frame).encode(
        x=alt.X("period_start:T", title=tr("axis.period")),
        y=alt.Y("value:Q", title=y_title),
        tooltip=[
            alt.Tooltip("period_start:T", title=tr("axis.period")),
            alt.Tooltip("value:Q", title=tr(f"metric.{field}"), format=".1f"),
            alt.Tooltip("state:N", title=" "),
        ],
    )
    line = base.mark_line(color="#4c78a8")
    points = base.mark_point(filled=True, size=45).encode(
        opacity=alt.Opacity(
            "state:N",
            scale=alt.Scale(domain=[tr("trend.judged"), tr("trend.not_judged")], range=[1.0, 0.3]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
    )
    return (line + points).properties(title=tr(f"metric.{field}"), height=220)


def main() -> None:
    if empty_database_screen():
        return
    day = as_of()
    st.title(tr("overview.title"))
    choice = st.segmented_control(
        tr("overview.period"),
        list(PERIODS),
        default="90",
        format_func=lambda k: tr(f"period.{k}"),
        key="period",
    )
    days = PERIODS[choice or "90"]
    start = None if days is None else day - timedelta(days=days - 1)
    now = run("headline", day, start, day)
    before = None
    if days is not None:
        prev_end = start - timedelta(days=1)
        prev_start = prev_end - timedelta(days=days - 1)
        before = run("headline", day, prev_start, prev_end)
        st.caption(
            tr("period.caption", start=start, end=day, prev_start=prev_start, prev_end=prev_end)
        )
    cost_per = now["staff_cost_jpy_per_nonconverting_inquiry"]
    minutes = now["staff_minutes_per_nonconverting_inquiry"]
    top = st.columns(4)
    top[0].metric(
        tr("metric.conversion_rate"),
        pct(now["conversion_rate"]),
        rate_delta(now["conversion_rate"], before and before["conversion_rate"]),
        help=tr("help.conversion_rate"),
        border=True,
    )
    top[1].metric(
        tr("metric.silent_after_quote_rate"),
        pct(now["silent_after_quote_rate"]),
        rate_delta(now["silent_after_quote_rate"], before and before["silent_after_quote_rate"]),
        delta_color="inverse",
        help=tr("help.silent_after_quote_rate"),
        border=True,
    )
    top[2].metric(
        tr("metric.urgent_requests"),
        f"{now['urgent_requests']:,}",
        None if before is None else f"{now['urgent_requests'] - before['urgent_requests']:+,}",
        delta_color="inverse",
        help=tr("help.urgent_requests"),
        border=True,
    )
    top[3].metric(
        tr("metric.staff_minutes_per_nonconverting_inquiry"),
        "—" if minutes is None else tr("value.minutes", minutes=f"{minutes:.1f}"),
        None
        if before is None
        or minutes is None
        or before["staff_minutes_per_nonconverting_inquiry"] is None
        else f"{minutes - before['staff_minutes_per_nonconverting_inquiry']:+.1f}",
        delta_color="inverse",
        help=tr("help.staff_minutes_per_nonconverting_inquiry"),
        border=True,
    )
    second = st.columns(4)
    second[0].metric(
        tr("metric.quote_sla_rate"),
        pct(now["quote_sla_rate"]),
        rate_delta(now["quote_sla_rate"], before and before["quote_sla_rate"]),
        help=tr("help.quote_sla_rate"),
        border=True,
    )
    second[1].metric(
        tr("metric.urgent_share"),
        pct(now["urgent_share"]),
        rate_delta(now["urgent_share"], before and before["urgent_share"]),
        delta_color="inverse",
        border=True,
    )
    second[2].metric(
        tr("metric.staff_cost_per_nonconverting"),
        "—" if cost_per is None else f"¥{cost_per:,.0f}",
        None
        if before is None
        or cost_per is None
        or before["staff_cost_jpy_per_nonconverting_inquiry"] is None
        else f"{cost_per - before['staff_cost_jpy_per_nonconverting_inquiry']:+,.0f}",
        delta_color="inverse",
        help=tr("help.staff_cost_per_nonconverting"),
        border=True,
    )
    second[3].metric(
        tr("metric.inquiries"),
        f"{now['inquiries']:,}",
        None if before is None else f"{now['inquiries'] - before['inquiries']:+,}",
        border=True,
    )

    st.subheader(tr("trend.title"))
    freq = (
        st.segmented_control(
            tr("trend.freq"),
            ["W", "M"],
            default="W",
            format_func=lambda f: tr(f"freq.{f}"),
            key="freq",
        )
        or "W"
    )
    series = run("metrics_by", freq, day, start, day)
    if len(series):
        charts = st.columns(2)
        for index, (field, is_rate) in enumerate(TRENDS):
            charts[index % 2].altair_chart(trend_chart(series, field, is_rate), width="stretch")
        st.caption(tr("trend.recent_note"))

    left, right = st.columns(2)
    with left:
        st.subheader(tr("funnel.title"))
        funnel = run("funnel", day, start, day)
        funnel["label"] = [tr(f"funnel.{s}") for s in funnel["stage"]]
        chart = (
            alt.Chart(funnel)
            .mark_bar(color="#4c78a8")
            .encode(
                x=alt.X("inquiries:Q", title=tr("axis.count")),
                y=alt.Y("label:N", sort=list(funnel["label"]), title=tr("axis.stage")),
                tooltip=[
                    alt.Tooltip("label:N", title=tr("axis.stage")),
                    alt.Tooltip("inquiries:Q", title=tr("axis.count")),
                    alt.Tooltip(
                        "share_of_first:Q", title=tr("funnel.share_of_first"), format=".1%"
                    ),
                ],
            )
            .properties(title=tr("funnel.title"), height=200)
        )
        st.altair_chart(chart, width="stretch")
        st.dataframe(
            pd.DataFrame(
                {
                    tr("axis.stage"): funnel["label"],
                    tr("col.inquiries"): funnel["inquiries"],
                    tr("funnel.share_of_previous"): [pct(v) for v in funnel["share_of_previous"]],
                    tr("funnel.share_of_first"): [pct(v) for v in funnel["share_of_first"]],
                }
            ),
            hide_index=True,
            key="funnel_table",
        )
    with right:
        st.subheader(tr("staff_time.title"))
        staff = run("staff_time_by_status", day, start, day)
        st.write(
            tr(
                "staff_time.total",
                minutes=int(now["staff_minutes_nonconverting"]),
                yen=now["staff_cost_jpy_nonconverting"],
                n=int(now["nonconverting_inquiries"]),
            )
        )
        if len(staff):
            staff["label"] = [status_label(s, lang()) for s in staff["status"]]
            chart = (
                alt.Chart(staff)
                .mark_bar(color="#e45756")
                .encode(
                    x=alt.X("staff_minutes:Q", title=tr("axis.staff_minutes")),
                    y=alt.Y("label:N", sort="-x", title=tr("axis.status")),
                    tooltip=[
                        alt.Tooltip("label:N", title=tr("axis.status")),
                        alt.Tooltip("inquiries:Q", title=tr("col.inquiries")),
                        alt.Tooltip("staff_minutes:Q", title=tr("col.staff_minutes"), format=","),
                        alt.Tooltip(
                            "staff_cost_jpy:Q", title=tr("col.staff_cost_jpy"), format=",.0f"
                        ),
                    ],
                )
                .properties(title=tr("staff_time.title"), height=200)
            )
            st.altair_chart(chart, width="stretch")
            st.dataframe(
                pd.DataFrame(
                    {
                        tr("axis.status"): staff["label"],
                        tr("col.inquiries"): staff["inquiries"],
                        tr("col.staff_minutes"): staff["staff_minutes"],
                        tr("col.staff_cost_jpy"): staff["staff_cost_jpy"].round(0).astype("int64"),
                        tr("col.staff_minutes_per_inquiry"): staff[
                            "staff_minutes_per_inquiry"
                        ].round(1),
                    }
                ),
                hide_index=True,
                key="staff_table",
            )


main()
