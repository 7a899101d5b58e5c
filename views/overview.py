"""Overview (owner): how the business did — figures against a fair comparison, money, trends, people.

Tiles and trends come from the metric registry (``pipelines.metrics``); charts from
``pipelines.charts``; windows and the same-age comparison from ``pipelines.periods``.
"""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd
import streamlit as st

from pipelines import charts, digest
from pipelines.i18n import status_label
from pipelines.metrics import chart_groups, tile_rows
from pipelines.periods import Window
from views import common
from views.common import as_of, empty_database_screen, lang, settings, tr
from views.notices import data_check, period_picker

TILES_PER_ROW = 4
MIN_TREND_POINTS = 3  # fewer periods than this in the range: trends by the next finer period
FINER = {"M": "W", "W": "D"}
PRINT_CSS = """
<style>
@media print {
  @page { size: A4; margin: 10mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpandSidebarButton"], header, [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stDownloadButton"], [data-testid="stButton"],
  [data-testid="stButtonGroup"], [data-testid="stSelectbox"], [data-testid="stNumberInput"],
  [data-testid="stDateInput"], button, input, select,
  .st-key-period, .st-key-freq, .st-key-digest_download { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  /* the page as on a wide screen, scaled to the paper (three A4 pages for the sample) */
  [data-testid="stMain"] { zoom: .6; }
  /* columns stay side by side as on the screen (Streamlit's print style stacks them): two
     trend charts to a row, four tiles to a row; a chart drawn for the screen shrinks to its column */
  [data-testid="stHorizontalBlock"] { display: flex !important; flex-wrap: nowrap !important; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    min-width: 0 !important; flex: 1 1 0 !important; width: auto !important;
  }
  .vega-embed canvas, .vega-embed svg { max-width: 100% !important; height: auto !important; }
  /* a chart keeps its title: each title + chart block, and each row of blocks, is never split */
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], [data-testid="stDataFrame"],
  [class*="st-key-chart_block"], [data-testid="stHorizontalBlock"] {
    break-inside: avoid; page-break-inside: avoid;
  }
  h1, h2, h3, h4, h5, [data-testid="stHeading"], [data-testid="stCaptionContainer"] {
    break-after: avoid; page-break-after: avoid;
  }
}
</style>
"""


def show_tiles(now: dict, before: dict | None, fair: bool = True) -> None:
    """One tile per registry tile metric: the value, and the change against the same-age period;
    an unfair comparison (the earlier period only partly in the data) is shown uncoloured."""
    comparable = before is not None and now["inquiries"] > 0 and before["inquiries"] > 0
    for row in tile_rows():
        for column, metric in zip(st.columns(TILES_PER_ROW), row, strict=False):
            value = now[metric.name]
            delta = (
                charts.change_text(metric.unit, value, before[metric.name], lang(), short=True)
                if comparable
                else None
            )
            column.metric(
                charts.metric_label(metric.name, lang(), settings()),
                charts.value_text(
                    metric.unit,
                    value,
                    lang(),
                    with_unit=lang() == "ja" or metric.unit != "count",
                    short=True,
                ),
                delta,
                delta_color=(
                    "off"
                    if metric.higher_is_bad is None or not fair
                    else ("inverse" if metric.higher_is_bad else "normal")
                ),
                help=tr(f"help.{metric.name}"),
                border=True,
            )


def before_coverage(span: Window, before: dict | None) -> tuple[date, int, int] | None:
    """When the comparison period is only partly in the data: (first day of data, days covered,
    days in the period); None when it is wholly covered or there is no comparison."""
    if before is None or span.prev_start is None or not before["inquiries"]:
        return None
    first = common.freshness().first_received_at
    if first is None or first.date() <= span.prev_start:
        return None
    total = (span.prev_end - span.prev_start).days + 1
    return first.date(), (span.prev_end - first.date()).days + 1, total


def comparison_notes(span: Window, now: dict, before: dict | None) -> None:
    """What the changes compare with, and whether this period's figures are final yet."""
    if before is not None and span.prev_start is not None:
        st.caption(
            tr(
                "owner.same_age",
                prev=charts.range_text(span.prev_start, span.prev_end, lang()),
                prev_as_of=common.day_label(span.prev_end),
            )
        )
        if before["inquiries"] == 0:
            st.caption(tr("owner.nothing_before"))
        partial = before_coverage(span, before)  # the earlier period partly in the data
        if partial is not None:  # the change misleads: say so
            first, days, total = partial
            st.warning(
                tr("owner.before_partial", first=common.day_label(first), days=days, total=total),
                icon=":material/warning:",
            )
    if now["inquiries"] and not now["mature"]:
        st.warning(
            tr(
                "owner.not_final", open=f"{now['unsettled_inquiries']:,}", n=f"{now['inquiries']:,}"
            ),
            icon=":material/hourglass_top:",
        )


LEGEND_CSS = """<style>
.ov-legend { display: flex; flex-wrap: wrap; gap: .2rem 1rem; font-size: .88rem; color: #444;
             margin: .1rem 0 .3rem; }
.ov-key { display: inline-flex; align-items: center; gap: .35rem; white-space: nowrap; }
.ov-sym { display: inline-block; width: 12px; height: 12px; border-radius: 50%; }
.ov-sym.line, .ov-sym.dashed { width: 22px; height: 0; border-radius: 0;
                               border-top: 2px solid #1f5fa8; }
.ov-sym.dashed { border-top-style: dashed; opacity: .6; }
.ov-sym.dot { background: #1f5fa8; }
.ov-sym.ring { width: 9px; height: 9px; border: 2px solid #1f5fa8; background: #fff; }
.ov-sym.box { border-radius: 0; }
</style>"""


def legend_html(items: list[tuple[str, str]]) -> str:
    """A legend written once for the charts below it: (symbol or colour, words) pairs."""
    parts = []
    for symbol, words in items:
        if symbol in ("line", "dashed", "dot", "ring"):
            mark = f'<span class="ov-sym {symbol}"></span>'
        else:
            mark = f'<span class="ov-sym box" style="background:{escape(symbol)}"></span>'
        parts.append(f'<span class="ov-key">{mark}{escape(words)}</span>')
    return f'{LEGEND_CSS}<div class="ov-legend">{"".join(parts)}</div>'


def chart_heading(group: tuple[str, ...]) -> str:
    """A trend chart's title, whole; with several series, each name in its line's colour."""
    if len(group) == 1:
        return f"<h5 class='ov-h'>{escape(charts.metric_label(group[0], lang(), settings()))}</h5>"
    names = " / ".join(
        f'<span style="color:{color}">● {escape(name)}</span>'
        for color, name in charts.series_colors(group, lang(), settings())
    )
    return f"<h5 class='ov-h'>{names}</h5>"


def show_trends(span: Window) -> None:
    """The trended metrics per week or month, two charts to a row."""
    st.subheader(tr("trend.title"))
    freq = (
        st.segmented_control(
            tr("trend.freq"),
            ["W", "M"],
            default="W",
            format_func={f: tr(f"freq.{f}") for f in ("W", "M")}.get,
            key="freq",
        )
        or "W"
    )
    series = common.metrics_by(freq, span.end, span.start, span.end)
    shown = freq
    while len(series) < MIN_TREND_POINTS and shown in FINER:  # a one-dot chart says nothing
        shown = FINER[shown]
        series = common.metrics_by(shown, span.end, span.start, span.end)
    if not len(series):
        return
    if shown != freq:
        chosen, finer = tr(f"freq.{freq}").lower(), tr(f"freq.{shown}").lower()
        st.caption(tr("trend.finer", n=MIN_TREND_POINTS, chosen=chosen, shown=finer))
    freq = shown
    st.html(legend_html(charts.trend_legend_items(lang())))
    st.caption(tr("chart.legend_note"))
    groups = chart_groups()
    for index in range(0, len(groups), 2):
        for column, group in zip(st.columns(2), groups[index : index + 2], strict=False):
            with column, st.container(key=f"chart_block_{'_'.join(group)}"):
                st.html(
                    "<style>h5.ov-h{font-size:1rem;font-weight:600;margin:.6rem 0 0}</style>"
                    + chart_heading(group)
                )
                common.draw_chart(
                    charts.trend_chart,
                    series,
                    group,
                    lang(),
                    settings(),
                    freq,
                    span.start,
                    span.end,
                    legend=False,
                )
                note = charts.unjudged_note(series, group, freq, lang(), settings())
                if note:
                    st.caption(note)


def show_funnel_and_staff_time(span: Window, now: dict) -> None:
    """The funnel, and where the staff time of lost inquiries went."""
    left, right = st.columns(2)
    with left:
        st.subheader(tr("funnel.title"))
        funnel = common.funnel(span.end, span.start, span.end)
        common.draw_chart(charts.funnel_chart, funnel, lang())
    with right:
        st.subheader(tr("staff_time.title"))
        st.write(
            tr(
                "owner.staff_time_total",
                minutes=f"{int(now['staff_minutes_nonconverting']):,}",
                cost=charts.value_text("yen", now["staff_cost_jpy_nonconverting"], lang()),
                n=f"{int(now['nonconverting_inquiries']):,}",
                amount=charts.value_text("yen", now["contracted_amount_jpy"], lang()),
            )
        )
        staff = common.staff_time_by_status(span.end, span.start, span.end)
        if len(staff):
            common.draw_chart(charts.staff_time_chart, staff, lang())


def show_whatif_teaser(span: Window) -> None:
    """What one day less notice would have done to this period, with a link to try other rules."""
    current = settings().min_lead_days
    tried = current - 1 if current > 0 else current + 1
    figures, moved = common.what_if({"min_lead_days": tried}, span.end, span.start, span.end)
    value = figures.set_index("metric")
    st.subheader(tr("owner.whatif_title", tried=tried))
    if len(moved):
        pairs = moved.groupby(["status_current", "status_changed"]).size().sort_values()
        (before, after), count = pairs.index[-1], int(pairs.iloc[-1])
        most = tr(
            "owner.whatif_most",
            before=status_label(before, lang()),
            after=status_label(after, lang()),
            k=f"{count:,}",
        )
    else:
        most = ""
    st.write(
        tr(
            "owner.whatif_line",
            tried=tried,
            n=f"{len(moved):,}",
            most=most,
            u0=f"{int(value.loc['urgent_requests', 'current']):,}",
            u1=f"{int(value.loc['urgent_requests', 'changed']):,}",
            l0=f"{int(value.loc['nonconverting_inquiries', 'current']):,}",
            l1=f"{int(value.loc['nonconverting_inquiries', 'changed']):,}",
        )
    )
    st.page_link(
        "views/whatif.py",
        label=tr("owner.whatif_link"),
        icon=":material/tune:",
        query_params={"lang": lang(), "as_of": span.end.isoformat(), "min_lead_days": tried},
    )


def show_people(span: Window, now: dict) -> None:
    """Per staff member: a chart and a table in the same order (SPEC "Money and people")."""
    st.subheader(tr("owner.people"))
    st.caption(tr("owner.people_help"))
    perf = common.staff_performance(span.end, span.start, span.end)
    if not len(perf):
        st.info(tr("owner.no_staff"))
        return
    st.caption(  # a person's rate and the company's have different denominators
        tr(
            "owner.people_rates",
            rate=charts.value_text("rate", now["conversion_rate"], lang()),
            n=f"{int(now['inquiries']):,}",
            unquoted=f"{int(now['inquiries'] - now['quoted']):,}",
        )
    )
    perf = charts.staff_order(perf)  # the chart's order, so a name is on the same line in both
    # the chart in three fifths of the page, the table below it at full width (its seven columns
    # in three fifths cut the last heading at 1440 px)
    left, _ = st.columns([3, 2])
    with left:
        st.html(legend_html(charts.staff_legend_items(lang())))
        common.draw_chart(charts.staff_chart, perf, lang(), legend=False)
    counts = ["staff.quotes_sent", "staff.first_quotes", "staff.conversions", "col.staff_minutes"]
    st.dataframe(
        pd.DataFrame(
            {
                tr("col.staff"): [charts.staff_label(s, lang()) for s in perf["staff"]],
                tr("staff.quotes_sent"): perf["quotes_sent"],
                tr("staff.first_quotes"): perf["first_quotes"],
                tr("staff.on_time"): [
                    charts.value_text("rate", r, lang()) for r in perf["on_time_rate"]
                ],
                tr("staff.conversions"): perf["conversions"],
                tr("metric.conversion_rate"): [
                    charts.value_text("rate", r, lang()) for r in perf["conversion_rate"]
                ],
                tr("col.staff_minutes"): perf["staff_minutes"],
            }
        ),
        hide_index=True,
        # counts with thousands separators (5,344), as everywhere else in the app
        column_config={tr(key): st.column_config.NumberColumn(format="%,d") for key in counts},
        key="staff_performance_table",
    )


def digest_download(day) -> None:
    """The weekly digest for the as-of day, built only when the button is clicked."""
    held = common.session_connection()
    chosen = lang()

    def build() -> str:
        with common.query_cursor(held) as con:
            return digest.digest_html(con, day, chosen)

    name = f"digest-{day.isoformat()}-{chosen}.html"
    st.download_button(
        tr("owner.digest_download"),
        common.audited_download(lambda: build().encode("utf-8"), name, 0),
        file_name=name,
        mime="text/html",
        key="digest_download",
        on_click="ignore",
        icon=":material/description:",
    )


def main() -> None:
    if empty_database_screen():
        return
    day = as_of()
    st.html(PRINT_CSS)
    st.title(tr("overview.title"))
    title_line = st.empty()
    if not data_check(day):
        return
    span = period_picker(day, "period")
    # every figure below but the previous period's reads them: the period's and every contract's
    # facts (all of them for all time; pipelines.evaluation.keep_facts)
    common.keep_facts(span.end, None, span.start, span.end)
    now = common.headline(span.end, span.start, span.end)
    first = span.start or (now["first_received_date"] or day)
    title_line.caption(
        tr(
            "owner.as_of_line",
            day=common.day_label(day),
            period=charts.range_text(first, span.end, lang()),
        )
    )
    if now["inquiries"] == 0:
        st.info(tr("owner.no_inquiries", period=charts.range_text(first, span.end, lang())))
        return
    before = (  # the comparison period's figures (not whether they are final)
        None
        if span.prev_start is None
        else common.headline(span.prev_end, span.prev_start, span.prev_end, period_only=True)
    )
    show_tiles(now, before, fair=before_coverage(span, before) is None)
    comparison_notes(span, now, before)
    digest_download(day)
    show_trends(span)
    show_funnel_and_staff_time(span, now)
    show_whatif_teaser(span)
    show_people(span, now)


main()
