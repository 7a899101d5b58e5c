"""Overview (owner): headline metrics against the previous period, trends, funnel, staff time."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from pipelines.i18n import status_label
from views import common
from views.common import as_of, empty_database_screen, lang, pct, tr

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}
TRENDS = [
    ("conversion_rate", True),
    ("silent_after_quote_rate", True),
    ("urgent_requests", False),
    ("staff_minutes_per_nonconverting_inquiry", False),
    ("quote_sla_rate", True),
]


# The tiles: period_metrics field, label, how to show it, whether a rise is bad, help text.
TILES = [
    ("conversion_rate", "metric.conversion_rate", "rate", False, "help.conversion_rate"),
    (
        "silent_after_quote_rate",
        "metric.silent_after_quote_rate",
        "rate",
        True,
        "help.silent_after_quote_rate",
    ),
    ("urgent_requests", "metric.urgent_requests", "count", True, "help.urgent_requests"),
    (
        "staff_minutes_per_nonconverting_inquiry",
        "metric.staff_minutes_per_nonconverting_inquiry",
        "minutes",
        True,
        "help.staff_minutes_per_nonconverting_inquiry",
    ),
    ("quote_sla_rate", "metric.quote_sla_rate", "rate", False, "help.quote_sla_rate"),
    ("urgent_share", "metric.urgent_share", "rate", True, None),
    (
        "staff_cost_jpy_per_nonconverting_inquiry",
        "metric.staff_cost_per_nonconverting",
        "yen",
        True,
        "help.staff_cost_per_nonconverting",
    ),
    ("inquiries", "metric.inquiries", "count", False, None),
]


def show(kind: str, value: float | None) -> str:
    """A tile's value: rate as %, count, minutes or yen; a dash when undefined."""
    if value is None:
        return "—"
    if kind == "rate":
        return pct(value)
    if kind == "minutes":
        return tr("value.minutes", minutes=f"{value:.1f}")
    if kind == "yen":
        return f"¥{value:,.0f}"
    return f"{value:,}"


def change(kind: str, now: float | None, before: float | None) -> str | None:
    """The change against the previous period: rates in percentage points."""
    if now is None or before is None:
        return None
    if kind == "rate":
        return f"{(now - before) * 100:+.1f} pt"
    if kind == "minutes":
        return f"{now - before:+.1f}"
    if kind == "yen":
        return f"{now - before:+,.0f}"
    return f"{now - before:+,}"


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
    now = common.headline(day, start, day)
    before = None
    if days is not None:
        prev_end = start - timedelta(days=1)
        prev_start = prev_end - timedelta(days=days - 1)
        before = common.headline(day, prev_start, prev_end)
        st.caption(
            tr("period.caption", start=start, end=day, prev_start=prev_start, prev_end=prev_end)
        )
    for row in (TILES[:4], TILES[4:]):
        for column, (field, label, kind, up_is_bad, help_key) in zip(
            st.columns(4), row, strict=True
        ):
            column.metric(
                tr(label),
                show(kind, now[field]),
                change(kind, now[field], None if before is None else before[field]),
                delta_color="inverse" if up_is_bad else "normal",
                help=tr(help_key) if help_key else None,
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
    series = common.metrics_by(freq, day, start, day)
    if len(series):
        charts = st.columns(2)
        for index, (field, is_rate) in enumerate(TRENDS):
            charts[index % 2].altair_chart(trend_chart(series, field, is_rate), width="stretch")
        st.caption(tr("trend.recent_note"))

    left, right = st.columns(2)
    with left:
        st.subheader(tr("funnel.title"))
        funnel = common.funnel(day, start, day)
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
        staff = common.staff_time_by_status(day, start, day)
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
