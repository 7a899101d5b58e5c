"""The weekly digest: one self-contained HTML page for the owner (SPEC "Digest").

``digest_html(con, as_of, lang)`` gives the page: the headline figures for the 7 days ending A
against the 7 days before (at the same age, docs/metrics.md), twelve weeks of trends, where staff
time went, per staff member, and the staff lists for N, the first business day after A. Its figures
are those of ``report --json --from A−6 --to A`` (each table cell carries the raw value in
``data-value`` so a test can prove it). Charts are the Overview's (``pipelines.charts``), rendered
to SVG offline by vl-convert and inlined: the page needs no network to open or print, and its print
style fits it on one or two A4 pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipelines import api, charts, queries
from pipelines.altair_lib import alt
from pipelines.calendar import next_business_day
from pipelines.i18n import day_text, requested_text, status_label, t, yen
from pipelines.metrics import DIGEST_ROWS, digest_trends
from pipelines.periods import freshness_line, window
from pipelines.settings import Settings
from pipelines.vocabulary import STAFF_LIST_REGISTRY, STAFF_LISTS
from pipelines.worklist import visible, work_items

DIGEST_DAYS = 7
TREND_WEEKS = 12
CHART_WIDTH = 330  # px, axes included: a column of A4 printed two to a row
CHART_HEIGHT = 200
ITEMS_PER_LIST = 3
_XMLNS = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, system-ui, sans-serif;
       color: #1d2330; margin: 0 auto; max-width: 60rem; padding: 1rem; font-size: 10.5pt;
       line-height: 1.45; }
h1 { font-size: 17pt; margin: 0 0 .2rem; }
h2 { font-size: 12.5pt; margin: 1rem 0 .4rem; border-bottom: 2px solid #1f5fa8; padding-bottom: .1rem; }
h3 { font-size: 10.5pt; margin: .2rem 0; }
p { margin: .25rem 0; }
.meta, .note { color: #4a5262; font-size: 9pt; }
.warn { color: #8a4b00; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { padding: .15rem .4rem; border-bottom: 1px solid #dde1e8; text-align: left;
         vertical-align: top; }
td:first-child, th { white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.up-good { color: #1e7b34; } .up-bad { color: #b3261e; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: .4rem 1rem; }
figure { margin: 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
tr { break-inside: avoid; }
h2, h3 { break-after: avoid; }
.legend { display: flex; flex-wrap: wrap; gap: .1rem 1rem; font-size: 9pt; color: #4a5262; }
.legend .key { white-space: nowrap; } .legend svg { vertical-align: middle; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; align-items: start; }
/* a phone (390 px): headings wrap, and a table still wider than the screen scrolls in its own box
   instead of widening the page */
.scroll { overflow-x: auto; max-width: 100%; }
.two > div, .grid > figure { min-width: 0; }
@media (max-width: 40rem) {
  .grid, .two { grid-template-columns: 1fr; }
  th, th.num, td:first-child { white-space: normal; }
  th, td { padding: .15rem .25rem; }
}
@page { size: A4; margin: 11mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 8pt; line-height: 1.25; }
  table { font-size: 8pt; }
  th, td { padding: 0 .35rem; }
  h2 { margin-top: .6rem; }
  .two { grid-template-columns: 1fr 1fr; }
  /* one A4 page: the trends four to a row, the charts beside the tables kept short */
  .grid { grid-template-columns: repeat(4, 1fr); gap: .2rem .5rem; }
  .grid h3 { font-size: 8pt; }
  .two figure svg { max-height: 34mm; width: auto; }
  .meta, .note, .legend { font-size: 7.5pt; }
  p { margin: .1rem 0; }
  h1 { font-size: 14pt; }
  h2 { font-size: 10.5pt; margin: .45rem 0 .2rem; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
}
"""


@dataclass(frozen=True)
class DigestData:
    """Everything the page shows, computed once."""

    as_of: date
    start: date
    report: dict[str, Any]
    now: dict[str, Any]
    before: dict[str, Any]
    prev_start: date
    prev_end: date
    weekly: pd.DataFrame
    trend_start: date
    staff_time: pd.DataFrame
    staff: pd.DataFrame
    next_day: date
    lists: dict[str, list]
    list_dates: dict[str, dict[str, str]]  # per list, per inquiry: the list's date in words
    freshness: queries.Freshness
    settings: Settings


def collect(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    lang: str = "en",
    overrides: api.Overrides = None,
) -> DigestData:
    """The digest's figures as of A (default: today in Japan)."""
    day = api.as_day(as_of, api.today_in_japan())
    settings = api.settings_of(con, overrides)
    span = window(day, DIGEST_DAYS)
    trend_start = day - timedelta(days=day.weekday(), weeks=TREND_WEEKS - 1)  # a Monday
    next_day = next_business_day(day, settings)
    lists = api.staff_lists(con, next_day, overrides, known_at=day)  # for N, known at A
    return DigestData(
        as_of=day,
        start=span.start,
        report=api.report(con, day, span.start, day, overrides),
        now=api.headline(con, day, span.start, day, overrides),
        before=api.headline(con, span.prev_end, span.prev_start, span.prev_end, overrides),
        prev_start=span.prev_start,
        prev_end=span.prev_end,
        weekly=api.metrics_by(con, "W", day, trend_start, day, overrides),
        trend_start=trend_start,
        staff_time=api.staff_time_by_status(con, day, span.start, day, overrides),
        staff=api.staff_performance(con, day, span.start, day, overrides),
        next_day=next_day,
        lists=work_items(lists, lang, settings),
        list_dates=item_dates(lists, lang, settings),
        freshness=queries.freshness(con),
        settings=settings,
    )


def item_dates(
    lists: dict[str, pd.DataFrame], lang: str, settings: Settings
) -> dict[str, dict[str, str]]:
    """Per staff list, each item's date that list is about, saying what it is ('sign by 11/24
    (Tue)'): the list's registered step_date, or the call's day; '' when the item has none."""
    out: dict[str, dict[str, str]] = {}
    for entry in STAFF_LIST_REGISTRY:
        column = entry.step_date or "requested_date"
        dates = {}
        for row in visible(lists[entry.name]).to_dict("records"):
            value = row.get(column)
            if column == "requested_date":
                text = requested_text(row, lang)
            else:
                text = "" if value is None or value != value else day_text(value, lang)
            dates[row["inquiry_id"]] = (
                t(f"digest.date.{column}", lang, settings, date=text) if text else ""
            )
        out[entry.name] = dates
    return out


def svg(chart: alt.TopLevelMixin) -> str:
    """A chart as inline SVG, rendered offline (vl-convert), with no namespace URLs left in it."""
    import vl_convert as vlc

    spec = chart.to_dict()
    return _XMLNS.sub("", vlc.vegalite_to_svg(spec))


def digest_html(
    con: duckdb.DuckDBPyConnection,
    as_of: date | str | None = None,
    lang: str = "en",
    overrides: api.Overrides = None,
) -> str:
    """The digest as one self-contained HTML page in the language ('en' or 'ja')."""
    return render(collect(con, as_of, lang, overrides), lang)


def write_digest(
    con: duckdb.DuckDBPyConnection, out: Path, as_of: date | str | None = None, lang: str = "en"
) -> Path:
    """Write the digest to out (UTF-8) and return the path."""
    out.write_text(digest_html(con, as_of, lang), encoding="utf-8")
    return out


# --- the page ------------------------------------------------------------------------------------


def render(data: DigestData, lang: str) -> str:
    """The page for collected figures."""

    def w(key: str, **values: object) -> str:
        return escape(t(key, lang, data.settings, **values))

    period = charts.range_text(data.start, data.as_of, lang)
    title = w("digest.title", period=period)
    parts = [
        "<!doctype html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<header><h1>{title}</h1>",
        f'<p class="meta">{w("digest.subtitle", period=period, day=day_text(data.as_of, lang))}</p>',
        f'<p class="meta">{escape(freshness_line(data.freshness, lang))}</p>',
    ]
    if data.report["inquiries"] == 0:
        parts.append(f'<p class="warn">{w("digest.no_inquiries", period=period)}</p>')
    parts.append("</header>")
    parts += _headline_section(data, lang, w)
    parts += _trend_section(data, lang, w)
    parts += _staff_time_section(data, lang, w)
    parts += _lists_section(data, lang, w)
    parts.append(f'<p class="note">{w("digest.footer", day=day_text(data.as_of, lang))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _headline_section(data: DigestData, lang: str, w) -> list[str]:
    prev = charts.range_text(data.prev_start, data.prev_end, lang)
    rows = [
        "<section><h2>" + w("digest.headline") + "</h2><div class=scroll><table><thead><tr>",
        f"<th>{w('digest.figure')}</th><th class=num>{w('digest.this_week')}</th>",
        f"<th class=num>{w('digest.previous_week')}</th><th class=num>{w('digest.change')}</th>",
        "</tr></thead><tbody>",
    ]
    for metric in DIGEST_ROWS:  # the report's keys, then money not in it
        name = metric.name
        value = data.report[name] if name in data.report else data.now.get(name)
        before = data.before.get(name)
        delta = charts.change_text(metric.unit, value, before, lang) or ""
        css = ""
        if delta and metric.higher_is_bad is not None and float(value) != float(before):
            rising = float(value) > float(before)
            css = " up-bad" if rising == metric.higher_is_bad else " up-good"
        raw = "" if value is None else repr(value)
        rows.append(
            f'<tr data-metric="{name}" data-value="{escape(raw)}">'
            f"<td>{escape(charts.metric_label(name, lang, data.settings))}</td>"
            f"<td class=num>{escape(charts.value_text(metric.unit, value, lang))}</td>"
            f"<td class=num>{escape(charts.value_text(metric.unit, before, lang))}</td>"
            f'<td class="num{css}">{escape(delta)}</td></tr>'
        )
    rows.append("</tbody></table></div>")
    statuses = ", ".join(
        f'<span data-status="{s}" data-value="{n}">{escape(status_label(s, lang))} {n:,}</span>'
        for s, n in data.report["status_counts"].items()
    )
    rows.append(f'<p class="meta">{w("digest.statuses")}: {statuses}</p>')
    rows.append(f'<p class="note">{w("digest.same_age", prev=prev)}</p>')
    if not data.report.get("judged_quotes") or not data.before.get("judged_quotes"):
        wait = w(
            "digest.silence_wait",
            judged=charts.metric_label("judged_quotes", lang, data.settings),
            rate=charts.metric_label("silent_after_quote_rate", lang, data.settings),
        )
        rows.append(f'<p class="note" data-note="silence_wait">{wait}</p>')
    unsettled = int(data.now.get("unsettled_inquiries") or 0)
    if unsettled and not data.now.get("mature"):  # open + incomplete, each named as in the statuses
        counts = data.report["status_counts"]
        note = w(
            "digest.not_final",
            unsettled=f"{unsettled:,}",
            n=f"{data.report['inquiries']:,}",
            open_label=status_label("open", lang),
            open=f"{counts.get('open', 0):,}",
            incomplete_label=status_label("incomplete", lang),
            incomplete=f"{counts.get('incomplete', 0):,}",
        )
        rows.append(f'<p class="note" data-unsettled="{unsettled}">{note}</p>')
    rows.append("</section>")
    return rows


def _figure(
    caption: str,
    chart: alt.TopLevelMixin,
    metrics: tuple[str, ...] = (),
    lang: str = "en",
    settings: Settings | None = None,
    note: str | None = None,
) -> str:
    """A chart under its heading (and a note under it); with several series, each name in its
    line's colour."""
    if len(metrics) > 1:
        caption_html = " / ".join(
            f'<span style="color:{color}">● {escape(name)}</span>'
            for color, name in charts.series_colors(metrics, lang, settings)
        )
    else:
        caption_html = escape(caption)
    below = f'<p class="note">{escape(note)}</p>' if note else ""
    return f"<figure><h3>{caption_html}</h3>{svg(chart)}{below}</figure>"


def _legend(lang: str) -> str:
    """The trend charts' legend, once for all of them."""
    marks = {
        "line": '<svg width="20" height="8"><path d="M0,4H20" stroke="#1f5fa8" stroke-width="2"/></svg>',
        "dashed": '<svg width="20" height="8"><path d="M0,4H20" stroke="#1f5fa8" stroke-width="2" '
        'stroke-dasharray="5,4" opacity=".6"/></svg>',
        "dot": '<svg width="10" height="10"><circle cx="5" cy="5" r="4.5" fill="#1f5fa8"/></svg>',
        "ring": '<svg width="10" height="10"><circle cx="5" cy="5" r="3.5" fill="none" '
        'stroke="#1f5fa8" stroke-width="2"/></svg>',
    }
    items = "".join(
        f'<span class="key">{marks[symbol]} {escape(words)}</span>'
        for symbol, words in charts.trend_legend_items(lang)
    )
    return f'<p class="legend">{items}</p>'


def _trend_section(data: DigestData, lang: str, w) -> list[str]:
    if not len(data.weekly) or int(data.weekly["inquiries"].sum()) == 0:
        return []
    figures = []
    for metrics in digest_trends():
        caption = " / ".join(charts.metric_label(m, lang, data.settings) for m in metrics)
        chart = charts.trend_chart(
            data.weekly,
            metrics,
            lang,
            data.settings,
            "W",
            data.trend_start,
            data.as_of,
            width=CHART_WIDTH,
            height=CHART_HEIGHT,
            legend=False,
        )
        note = charts.unjudged_note(data.weekly, metrics, "W", lang, data.settings)
        figures.append(_figure(caption, chart, metrics, lang, data.settings, note))
    return [
        "<section><h2>" + w("digest.trends", weeks=TREND_WEEKS) + "</h2>",
        _legend(lang),
        '<div class="grid">',
        *figures,
        "</div>",
        f'<p class="note">{w("chart.legend_note")}</p>',
        "</section>",
    ]


def _staff_time_section(data: DigestData, lang: str, w) -> list[str]:
    now = data.now
    out = ["<section><h2>" + w("digest.staff_time") + "</h2>"]
    out.append(
        "<p>"
        + w(
            "owner.staff_time_total",
            minutes=f"{int(now['staff_minutes_nonconverting']):,}",
            cost=yen(now["staff_cost_jpy_nonconverting"], lang),
            n=f"{int(now['nonconverting_inquiries']):,}",
            amount=yen(now["contracted_amount_jpy"], lang),
        )
        + "</p>"
    )
    left = ""
    if len(data.staff_time):
        left = _figure(
            t("digest.by_status", lang),
            charts.staff_time_chart(data.staff_time, lang, width=CHART_WIDTH),
        )
    right = _staff_table(data.staff, lang, w)
    out.append(f'<div class="two"><div>{left}</div><div>{right}</div></div></section>')
    return out


def _staff_table(staff: pd.DataFrame, lang: str, w) -> str:
    if not len(staff):
        return f"<h3>{w('digest.per_staff')}</h3><p class=note>{w('owner.no_staff')}</p>"
    head = (
        f"<h3>{w('digest.per_staff')}</h3><div class=scroll><table><thead><tr>"
        f"<th>{w('col.staff')}</th>"
        f"<th class=num>{w('staff.quotes_sent')}</th><th class=num>{w('staff.on_time')}</th>"
        f"<th class=num>{w('staff.conversions')}</th><th class=num>{w('col.staff_minutes')}</th>"
        "</tr></thead><tbody>"
    )
    rows = []
    for row in charts.staff_order(staff).itertuples():
        rows.append(
            "<tr>"
            f"<td>{escape(charts.staff_label(row.staff, lang))}</td>"
            f"<td class=num>{int(row.quotes_sent):,}</td>"
            f"<td class=num>{int(row.first_quotes_on_time):,}/{int(row.first_quotes):,}</td>"
            f"<td class=num>{int(row.conversions):,}</td>"
            f"<td class=num>{escape(charts.value_text('minutes', row.staff_minutes, lang))}</td>"
            "</tr>"
        )
    return head + "".join(rows) + "</tbody></table></div>"


def _lists_section(data: DigestData, lang: str, w) -> list[str]:
    day = day_text(data.next_day, lang)
    out = [
        "<section><h2>" + w("digest.lists", day=day) + "</h2>",
        f"<div class=scroll><table><thead><tr><th>{w('digest.list')}</th><th class=num>{w('col.inquiries')}</th>"
        f"<th>{w('digest.first_items')}</th></tr></thead><tbody>",
    ]
    sep = "、" if lang == "ja" else "; "
    for name in STAFF_LISTS:
        items, dates = data.lists[name], data.list_dates[name]
        shown = [  # the date says what it is; an item without such a date shows none
            f"{escape(i.customer_name)} ("
            + ", ".join(escape(x) for x in (i.inquiry_id, dates.get(i.inquiry_id, "")) if x)
            + ")"
            for i in items[:ITEMS_PER_LIST]
        ]
        more = len(items) - len(shown)
        if more > 0:
            shown.append(w("digest.more", n=more))
        out.append(
            f'<tr data-list="{name}" data-value="{len(items)}"><td>{w(f"list.{name}")}</td>'
            f"<td class=num>{len(items):,}</td><td>{sep.join(shown)}</td></tr>"
        )
    out.append("</tbody></table></div>")
    out.append(f'<p class="note">{w("digest.lists_note", day=day)}</p></section>')
    return out
