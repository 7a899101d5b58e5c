"""Altair charts for the owner: the Overview, the digest and the notebooks draw the same ones.

Each builder takes a frame as ``pipelines.api`` returns it and a language, and returns a chart that
reads at a glance at 1440 and 390 px wide:

- at least ``MIN_HEIGHT`` px of plot, bar charts one ``BAR_STEP`` per bar, every bar label whole;
- no title inside the chart: the caller writes it above, whole, in its own heading;
- dates as people of that language write them (11/16, 11月 / Nov 16, Nov), weekly ticks on Mondays;
- values with their unit in tooltips (%, 分, 円, 件 / %, min, ¥, inquiries);
- a period the chosen range covers only in part is drawn hollow, one whose inquiries are not yet
  settled (not ``mature``, docs/metrics.md) lighter and dashed, each with a legend — inside the
  chart (``legend=True``: the digest, notebooks), or written once by the page (``legend_items``).

Nothing here imports streamlit; text comes from ``pipelines.i18n``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date

import pandas as pd

from pipelines.altair_lib import alt
from pipelines.chart_text import (  # noqa: F401  (the charts' words, also used through charts.)
    change_text,
    date_text,
    metric_label,
    minutes_change,
    month_text,
    range_text,
    short_yen,
    unjudged_note,
    value_text,
    whatif_money_text,
)
from pipelines.i18n import status_label, t, yen
from pipelines.metrics import BY_NAME, Metric
from pipelines.settings import Settings

MIN_HEIGHT = 220  # px of plot, whatever the data
BAR_STEP = 34  # px per bar in a horizontal bar chart
LABEL_LIMIT = 320  # px an axis label may take before it is cut (Vega's default is 180)
MAX_TICKS = 8  # period ticks on a time axis at most
LINE_BREAK = "|"  # splits a bar label over two lines (status labels never contain it)
COLORS = ("#1f5fa8", "#d9622b", "#2e8540", "#8e44ad")
LIGHT = "#a9c4e4"
# A hollow point (a ring, drawn as one filled path so it takes the series' colour): a partial period.
RING = "M-1,0A1,1 0 1,0 1,0A1,1 0 1,0 -1,0ZM-0.55,0A0.55,0.55 0 1,1 0.55,0A0.55,0.55 0 1,1 -0.55,0Z"


# --- periods -------------------------------------------------------------------------------------


def period_frame(
    series: pd.DataFrame,
    freq: str,
    lang: str,
    start: date | str | None = None,
    end: date | str | None = None,
) -> pd.DataFrame:
    """metrics_by's rows with period_end, days covered, `partial`, `mature` and a period text.

    A period is partial when the range [start, end] (default: the first and last day with an
    inquiry) covers only some of its days — the first and last week of "the last 30 days", or the
    current month. Its counts are not comparable with whole periods; charts draw it hollow.
    """
    frame = series.copy()
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    if freq == "M":
        frame["period_end"] = frame["period_start"] + pd.offsets.MonthEnd(0)
    else:
        frame["period_end"] = frame["period_start"] + pd.Timedelta(days=0 if freq == "D" else 6)
    received = pd.to_datetime(
        pd.concat([frame["first_received_date"], frame["last_received_date"]])
    )
    lo = pd.Timestamp(start) if start is not None else received.min()
    hi = pd.Timestamp(end) if end is not None else received.max()
    if pd.isna(lo):
        lo = frame["period_start"].min()
    if pd.isna(hi):
        hi = frame["period_end"].max()
    first = frame["period_start"].where(frame["period_start"] > lo, lo)
    last = frame["period_end"].where(frame["period_end"] < hi, hi)
    frame["days_covered"] = (last - first).dt.days + 1
    frame["days_total"] = (frame["period_end"] - frame["period_start"]).dt.days + 1
    frame["partial"] = frame["days_covered"] < frame["days_total"]
    if "mature" not in frame:
        frame["mature"] = True
    frame["mature"] = frame["mature"].fillna(True).astype(bool)
    texts = []
    for row, a, b in zip(frame.itertuples(), first, last, strict=True):
        if freq == "M":
            text = month_text(row.period_start, lang)
        elif freq == "D":
            text = date_text(row.period_start, lang, year=True)
        else:
            text = range_text(row.period_start, row.period_end, lang)
        if row.partial:
            text += " " + t(
                "chart.partial_days",
                lang,
                range=range_text(a, b, lang),
                days=int(row.days_covered),
                total=int(row.days_total),
            )
        texts.append(text)
    frame["period_text"] = texts
    return frame


def _time_axis(frame: pd.DataFrame, freq: str, lang: str) -> alt.Axis:
    """Ticks on the periods' first days (Mondays, or the 1st), at most MAX_TICKS, in the language;
    when the ticks span years, the first tick of each year carries its year (2025/11/3, 2026年1月)."""
    starts = list(frame["period_start"])
    step = max(1, math.ceil(len(starts) / MAX_TICKS))
    ticks = starts[::-1][::step][::-1]
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in ticks]
    if freq == "M":
        short, long = ("%-m月", "%Y年%-m月") if lang == "ja" else ("%b", "%b %Y")
        with_year = ["month(datum.value) == 0"]  # January always says its year
    else:
        short, long = ("%-m/%-d", "%Y/%-m/%-d") if lang == "ja" else ("%b %-d", "%b %-d, %Y")
        with_year = []
    if ticks and ticks[0].year != ticks[-1].year:
        with_year += [
            f"(year(datum.value) == {d.year} && month(datum.value) == {d.month - 1}"
            f" && date(datum.value) == {d.day})"
            for i, d in enumerate(ticks)
            if i == 0 or d.year != ticks[i - 1].year
        ]
    expr = f"timeFormat(datum.value, '{short}')"
    if with_year:
        expr = f"{' || '.join(with_year)} ? timeFormat(datum.value, '{long}') : {expr}"
    return alt.Axis(
        values=values,
        labelExpr=expr,
        title=None,
        labelOverlap="greedy",
        labelSeparation=6,
        labelFlush=False,
        labelAngle=0,
        grid=False,
    )


def _value_axis(unit: str, lang: str, top: float) -> tuple[alt.Axis, alt.Scale]:
    """A y axis whose tick labels carry the unit (40%, 12件, 35分, 25万円 / ¥250k) and a scale from
    zero that is never empty (no '0.000000' axis when every value is 0)."""
    ja = lang == "ja"
    if unit == "rate":
        expr = "format(datum.value, '.0%')"
        empty_max = 1.0
    elif unit == "yen":
        expr = (
            "datum.value >= 10000 ? format(datum.value / 10000, ',~r') + '万円' "
            ": format(datum.value, ',') + '円'"
            if ja
            else "'¥' + format(datum.value, '~s')"
        )
        empty_max = 10000.0
    elif unit == "minutes":
        expr = "format(datum.value, ',~r') + '%s'" % ("分" if ja else " min")
        empty_max = 10.0
    else:
        expr = "format(datum.value, ',~r')" + (" + '件'" if ja else "")
        empty_max = 10.0
    axis = alt.Axis(
        labelExpr=expr, title=None, tickCount=5, tickMinStep=0.01 if unit == "rate" else 1
    )
    scale = (
        alt.Scale(zero=True, nice=True) if top > 0 else alt.Scale(domain=[0, empty_max], nice=True)
    )
    return axis, scale


# --- trends --------------------------------------------------------------------------------------


def trend_chart(
    series: pd.DataFrame,
    metrics: str | Sequence[str],
    lang: str,
    settings: Settings | None = None,
    freq: str = "W",
    start: date | str | None = None,
    end: date | str | None = None,
    width: int | None = None,
    height: int = MIN_HEIGHT,
    legend: bool = True,
) -> alt.LayerChart:
    """One or more metrics of one unit per day, week or month (metrics_by's rows).

    A line joins the periods: solid between final periods, dashed where a period is not final; points
    are lighter when not final and hollow when the range covers only part of the period.
    """
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    registry: list[Metric] = [BY_NAME[n] for n in names]
    periods = period_frame(series, freq, lang, start, end)
    point_frame, segment_frame = _trend_frames(periods, registry, lang, settings)
    top = point_frame["value"].max() if point_frame["value"].notna().any() else 0.0
    y_axis, y_scale = _value_axis(registry[0].unit, lang, float(top))
    x = alt.X("period_start:T", axis=_time_axis(periods, freq, lang), scale=alt.Scale(padding=14))
    y = alt.Y("value:Q", axis=y_axis, scale=y_scale)
    labels = [metric_label(m.name, lang, settings) for m in registry]
    color = (
        alt.Color(
            "metric:N",
            scale=alt.Scale(domain=labels, range=list(COLORS[: len(registry)])),
            legend=(
                alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=0)
                if legend
                else None
            ),
        )
        if len(registry) > 1
        else alt.value(COLORS[0])
    )
    lines = _trend_lines(segment_frame, x, y, color, lang, legend)
    dots = _trend_dots(point_frame, x, y, color, lang, legend)
    return _sized(alt.layer(lines, dots), width, height)


def _trend_frames(
    periods: pd.DataFrame, registry: list[Metric], lang: str, settings: Settings | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points (one per metric and period) and the line segments joining consecutive ones."""
    final, not_final = t("chart.final", lang), t("chart.not_final", lang)
    whole, partial = t("chart.whole_period", lang), t("chart.partial", lang)
    points, segments = [], []
    for metric in registry:
        label = metric_label(metric.name, lang, settings)
        settles = not metric.settled_when_received  # never drawn as "not final"
        rows = []
        for row in periods.itertuples():
            value = getattr(row, metric.name)
            value = None if value is None or pd.isna(value) else float(value)
            rows.append(
                {
                    "period_start": row.period_start,
                    "value": value,
                    "metric": label,
                    "state": final if bool(row.mature) or not settles else not_final,
                    "coverage": partial if row.partial else whole,
                    "period_text": row.period_text,
                    "value_text": value_text(metric.unit, value, lang),
                    "inquiries_text": t(
                        "chart.inquiries_open",
                        lang,
                        n=f"{int(row.inquiries):,}",
                        open=f"{int(row.unsettled_inquiries):,}",
                    ),
                }
            )
        points += rows
        for index, (a, b) in enumerate(itertools.pairwise(rows)):
            if a["value"] is None or b["value"] is None:
                continue
            state = final if a["state"] == final and b["state"] == final else not_final
            for point in (a, b):
                segments.append({**point, "segment": f"{label}-{index}", "state": state})
    point_frame = pd.DataFrame(points)
    return point_frame, pd.DataFrame(segments, columns=[*point_frame.columns, "segment"])


def _trend_lines(
    segments: pd.DataFrame, x: alt.X, y: alt.Y, color: object, lang: str, legend: bool
) -> alt.Chart:
    """The lines between periods: solid between final ones, dashed and lighter otherwise."""
    final, not_final = t("chart.final", lang), t("chart.not_final", lang)
    state_legend = (
        alt.Legend(title=None, orient="bottom", direction="horizontal", labelLimit=0)
        if legend
        else None
    )
    return (
        alt.Chart(segments)
        .mark_line(strokeWidth=2, tooltip=False)
        .encode(
            x=x,
            y=y,
            detail="segment:N",
            color=color,
            strokeDash=alt.StrokeDash(
                "state:N",
                scale=alt.Scale(domain=[final, not_final], range=[[1, 0], [5, 4]]),
                legend=state_legend,
            ),
            opacity=alt.Opacity(
                "state:N",
                scale=alt.Scale(domain=[final, not_final], range=[1.0, 0.55]),
                legend=None,
            ),
        )
    )


def _trend_dots(
    points: pd.DataFrame, x: alt.X, y: alt.Y, color: object, lang: str, legend: bool
) -> alt.Chart:
    """One point per period with its tooltip: hollow for a partial period, lighter when not final."""
    final, not_final = t("chart.final", lang), t("chart.not_final", lang)
    whole, partial = t("chart.whole_period", lang), t("chart.partial", lang)
    tooltip = [
        alt.Tooltip("period_text:N", title=t("chart.period", lang)),
        alt.Tooltip("metric:N", title=t("chart.figure", lang)),
        alt.Tooltip("value_text:N", title=t("chart.value", lang)),
        alt.Tooltip("inquiries_text:N", title=t("chart.inquiries", lang)),
        alt.Tooltip("state:N", title=t("chart.state", lang)),
    ]
    shape_legend = (
        alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            labelLimit=0,
            symbolFillColor="#555",
            symbolStrokeWidth=0,
        )
        if legend
        else None
    )
    return (
        alt.Chart(points)
        .mark_point(filled=True, size=70, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=color,
            shape=alt.Shape(
                "coverage:N",
                scale=alt.Scale(domain=[whole, partial], range=["circle", RING]),
                legend=shape_legend,
            ),
            opacity=alt.Opacity(
                "state:N", scale=alt.Scale(domain=[final, not_final], range=[1.0, 0.5]), legend=None
            ),
            tooltip=tooltip,
        )
    )


# --- bars ----------------------------------------------------------------------------------------


def _bar_height(n: float) -> int:
    return max(MIN_HEIGHT, round(BAR_STEP * n + 40))


def _bars(
    frame: pd.DataFrame,
    value: str,
    label_title: str,
    value_title: str,
    tooltip: list[alt.Tooltip],
    color: str = COLORS[0],
    width: int | None = None,
    lines: int = 1,
) -> alt.LayerChart:
    """Horizontal bars in the frame's order, each labelled whole with its value text at its end.

    lines: a label holding LINE_BREAK is written on that many lines (narrow screens keep room)."""
    order = list(frame["label"])
    top = float(frame[value].max()) if len(frame) and frame[value].notna().any() else 0.0
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        axis=alt.Axis(
            labelLimit=LABEL_LIMIT,
            labelFontSize=12,
            title=label_title or None,
            labelExpr=f"split(datum.label, '{LINE_BREAK}')" if lines > 1 else alt.Undefined,
        ),
    )
    x = alt.X(
        f"{value}:Q",
        title=value_title,
        scale=alt.Scale(domain=[0, top * 1.4 if top > 0 else 1], nice=False),
        axis=alt.Axis(format=",~r", tickMinStep=1, tickCount=4, labelOverlap=True),
    )
    base = alt.Chart(frame).encode(y=y, x=x, tooltip=tooltip)
    bars = base.mark_bar(color=color)
    text = base.mark_text(align="left", dx=4, fontSize=12, color="#333").encode(text="value_text:N")
    return _sized(alt.layer(bars, text), width, _bar_height(len(frame) * (1 + 0.3 * (lines - 1))))


def funnel_chart(funnel: pd.DataFrame, lang: str, width: int | None = None) -> alt.LayerChart:
    """The funnel's steps top to bottom: inquiries reaching each, and their share of the first."""
    frame = funnel.copy()
    frame["label"] = [t(f"funnel.{s}", lang) for s in frame["stage"]]
    frame["share_text"] = [value_text("rate", v, lang) for v in frame["share_of_first"]]
    frame["value_text"] = [
        f"{value_text('count', n, lang, with_unit=lang == 'ja')} ({s})"
        for n, s in zip(frame["inquiries"], frame["share_text"], strict=True)
    ]
    tooltip = [
        alt.Tooltip("label:N", title=t("axis.stage", lang)),
        alt.Tooltip("value_text:N", title=t("axis.count", lang)),
    ]
    return _bars(frame, "inquiries", "", t("axis.count", lang), tooltip, width=width)


def staff_time_chart(
    by_status: pd.DataFrame, lang: str, width: int | None = None
) -> alt.LayerChart:
    """Staff minutes on inquiries closed without a contract, per status, largest first."""
    frame = by_status.sort_values("staff_minutes", ascending=False).copy()
    frame["label"] = [status_label(s, lang) for s in frame["status"]]
    frame["value_text"] = [value_text("minutes", m, lang) for m in frame["staff_minutes"]]
    frame["yen_text"] = [yen(v, lang) for v in frame["staff_cost_jpy"]]
    frame["inquiries_text"] = [value_text("count", n, lang) for n in frame["inquiries"]]
    frame["per_text"] = [value_text("minutes", m, lang) for m in frame["staff_minutes_per_inquiry"]]
    tooltip = [
        alt.Tooltip("label:N", title=t("axis.status", lang)),
        alt.Tooltip("inquiries_text:N", title=t("col.inquiries", lang)),
        alt.Tooltip("value_text:N", title=t("col.staff_minutes", lang)),
        alt.Tooltip("yen_text:N", title=t("chart.cost", lang)),
        alt.Tooltip("per_text:N", title=t("col.staff_minutes_per_inquiry", lang)),
    ]
    return _bars(
        frame,
        "staff_minutes",
        "",
        t("axis.staff_minutes", lang),
        tooltip,
        color="#c0392b",
        width=width,
    )


def staff_label(name: object, lang: str) -> str:
    """A staff member's name, or words for events that name nobody."""
    return (
        t("staff.none", lang)
        if name is None or pd.isna(name) or not str(name).strip()
        else str(name)
    )


def staff_chart(
    performance: pd.DataFrame, lang: str, width: int | None = None, legend: bool = True
) -> alt.LayerChart:
    """Per staff member: first quotes sent (light bar) and how many of them converted (dark bar)."""
    frame = _staff_frame(performance, lang)
    first, converted = t("staff.first_quotes", lang), t("staff.conversions", lang)
    long = frame.melt(
        id_vars=["label", "value_text", "on_time_text", "minutes_text", "quotes_text"],
        value_vars=["first_quotes", "conversions"],
        var_name="measure",
        value_name="n",
    )
    long["measure"] = long["measure"].map({"first_quotes": first, "conversions": converted})
    top = float(frame["first_quotes"].max()) if len(frame) else 0.0
    y = alt.Y(
        "label:N", sort=list(frame["label"]), title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)
    )
    x = alt.X(
        "n:Q",
        stack=None,
        title=t("axis.count", lang),
        scale=alt.Scale(domain=[0, top * 1.45 if top > 0 else 1], nice=False),
        axis=alt.Axis(format=",~r", tickMinStep=1, tickCount=4),
    )
    tooltip = [
        alt.Tooltip("label:N", title=t("col.staff", lang)),
        alt.Tooltip("quotes_text:N", title=t("staff.quotes_sent", lang)),
        alt.Tooltip("value_text:N", title=converted),
        alt.Tooltip("on_time_text:N", title=t("staff.on_time", lang)),
        alt.Tooltip("minutes_text:N", title=t("col.staff_minutes", lang)),
    ]
    color = alt.Color(
        "measure:N",
        scale=alt.Scale(domain=[first, converted], range=[LIGHT, COLORS[0]]),
        legend=alt.Legend(title=None, orient="bottom", labelLimit=0) if legend else None,
    )
    bars = alt.Chart(long).mark_bar().encode(y=y, x=x, color=color, tooltip=tooltip)
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, fontSize=12, color="#333")
        .encode(y=y, x=alt.X("first_quotes:Q"), text="value_text:N", tooltip=tooltip)
    )
    return _sized(alt.layer(bars, text), width, _bar_height(len(frame)))


def staff_order(performance: pd.DataFrame) -> pd.DataFrame:
    """staff_performance's rows in the one order every chart and table lists staff: most first
    quotes first, then most quotes sent, then by name (counts)."""
    return performance.sort_values(
        ["first_quotes", "quotes_sent", "staff"], ascending=[False, False, True], na_position="last"
    )


def _staff_frame(performance: pd.DataFrame, lang: str) -> pd.DataFrame:
    """staff_performance's rows in staff_order, with the texts the chart shows."""
    frame = staff_order(performance).copy()
    frame["label"] = [staff_label(s, lang) for s in frame["staff"]]
    frame["value_text"] = [
        t(
            "staff.converted_of",
            lang,
            n=f"{int(c):,}",
            of=f"{int(q):,}",
            rate=value_text("rate", r, lang),
        )
        for c, q, r in zip(
            frame["conversions"], frame["first_quotes"], frame["conversion_rate"], strict=True
        )
    ]
    frame["on_time_text"] = [
        f"{int(n):,} ({value_text('rate', r, lang)})"
        for n, r in zip(frame["first_quotes_on_time"], frame["on_time_rate"], strict=True)
    ]
    frame["minutes_text"] = [value_text("minutes", m, lang) for m in frame["staff_minutes"]]
    frame["quotes_text"] = [f"{int(n):,}" for n in frame["quotes_sent"]]
    return frame


def status_change_chart(moved: pd.DataFrame, lang: str, width: int | None = None) -> alt.LayerChart:
    """What-if: how many inquiries move from one status to another, largest first."""
    counts = (
        moved.groupby(["status_current", "status_changed"]).size().reset_index(name="inquiries")
        if len(moved)
        else pd.DataFrame(columns=["status_current", "status_changed", "inquiries"])
    )
    counts = counts.sort_values("inquiries", ascending=False)
    counts["label"] = [
        f"{status_label(a, lang)}{LINE_BREAK}→ {status_label(b, lang)}"
        for a, b in zip(counts["status_current"], counts["status_changed"], strict=True)
    ]
    counts["move"] = [label.replace(LINE_BREAK, " ") for label in counts["label"]]
    counts["value_text"] = [value_text("count", n, lang) for n in counts["inquiries"]]
    tooltip = [
        alt.Tooltip("move:N", title=t("axis.status", lang)),
        alt.Tooltip("value_text:N", title=t("axis.count", lang)),
    ]
    return _bars(counts, "inquiries", "", t("axis.count", lang), tooltip, width=width, lines=2)


def _sized(chart: alt.LayerChart, width: int | None, height: int) -> alt.LayerChart:
    """Height is the plot's own (axes and legends come on top: 'fit-x'), width fits the container."""
    chart = chart.properties(
        height=max(MIN_HEIGHT, height),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
    if width is not None:
        chart = chart.properties(width=width)
    return chart.configure_axis(labelFontSize=12, titleFontSize=12).configure_legend(
        labelFontSize=12, symbolStrokeWidth=2
    )


def trend_legend_items(lang: str) -> list[tuple[str, str]]:
    """The trend charts' legend as (symbol, words): for a page that writes it once above them.

    Symbols: 'line', 'dashed', 'dot', 'ring'."""
    return [
        ("line", t("chart.final", lang)),
        ("dashed", t("chart.not_final", lang)),
        ("dot", t("chart.whole_period", lang)),
        ("ring", t("chart.partial", lang)),
    ]


def series_colors(
    metrics: Sequence[str], lang: str, settings: Settings | None = None
) -> list[tuple[str, str]]:
    """(colour, name) of each series of a trend chart with several metrics, as it draws them."""
    return [(COLORS[i], metric_label(m, lang, settings)) for i, m in enumerate(metrics)]


def staff_legend_items(lang: str) -> list[tuple[str, str]]:
    """(colour, words) of the staff chart's two bars."""
    return [(LIGHT, t("staff.first_quotes", lang)), (COLORS[0], t("staff.conversions", lang))]
