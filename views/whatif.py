"""What-if (owner): the same period under today's rules and under changed ones, side by side.

The owner changes a rule's number; ``pipelines.api.what_if`` computes every report figure under both
settings and lists the inquiries whose status would change. The settings file is never written.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines import charts
from pipelines.i18n import day_text, reasons_text, status_label
from pipelines.metrics import BY_NAME
from views import common
from views.common import as_of, empty_database_screen, lang, settings, tr
from views.notices import data_check, period_picker

ROW_PX = 35  # a dataframe row's height: the figures table shows every row without scrolling
# The rules the owner may change here: (setting, lowest, highest).
NUMBERS = (("min_lead_days", 0, 30), ("silence_days", 0, 60), ("quote_sla_business_days", 0, 10))


def starting_values() -> dict[str, object]:
    """The rules the inputs start from: ?min_lead_days=2 (etc.) in the URL, else today's rules with
    one day less notice — the owner's first question — when no rule is named."""
    current = settings()
    start: dict[str, object] = {name: getattr(current, name) for name, _, _ in NUMBERS}
    start["urgent_by_message"] = current.urgent_by_message
    named = False
    for name, low, high in NUMBERS:
        raw = st.query_params.get(name)
        if raw is not None and raw.strip().isdigit() and low <= int(raw) <= high:
            start[name], named = int(raw), True
    raw = st.query_params.get("urgent_by_message")
    if raw in ("true", "false"):
        start["urgent_by_message"], named = raw == "true", True
    if not named and current.min_lead_days > 0:
        start["min_lead_days"] = current.min_lead_days - 1
    return start


def rule_inputs() -> dict[str, object]:
    """One input per rule; the overrides the owner chose (those that differ from today's rules)."""
    current = settings()
    start = starting_values()
    columns = st.columns(len(NUMBERS) + 1)
    chosen: dict[str, object] = {}
    for column, (name, low, high) in zip(columns, NUMBERS, strict=False):
        today = int(getattr(current, name))
        chosen[name] = column.number_input(
            tr(f"whatif.{name}"),
            min_value=low,
            max_value=max(high, today),
            value=int(start[name]),
            step=1,
            key=f"wi_{name}",
            help=tr("whatif.today_value", value=today),
        )
    chosen["urgent_by_message"] = columns[-1].toggle(
        tr("whatif.urgent_by_message"),
        value=bool(start["urgent_by_message"]),
        key="wi_urgent_by_message",
        help=tr("whatif.urgent_by_message_help"),
    )
    return {k: v for k, v in chosen.items() if v != getattr(current, k)}


def figures_table(figures: pd.DataFrame, changed_settings) -> pd.DataFrame:
    """Each report figure under today's rules and under the changed ones, with units, and the change."""
    rows = []
    for row in figures.itertuples():
        metric = BY_NAME[row.metric]
        rows.append(
            {
                tr("whatif.figure"): charts.metric_label(row.metric, lang(), changed_settings),
                tr("whatif.current"): charts.value_text(metric.unit, row.current, lang()),
                tr("whatif.changed"): charts.value_text(metric.unit, row.changed, lang()),
                tr("whatif.difference"): (
                    ""
                    if row.changed == row.current
                    else charts.change_text(metric.unit, row.changed, row.current, lang()) or ""
                ),
            }
        )
    return pd.DataFrame(rows)


def moved_table(moved: pd.DataFrame, changed_settings) -> pd.DataFrame:
    """The inquiries whose status would change, in words."""
    today, language = settings(), lang()
    return pd.DataFrame(
        {
            tr("col.inquiry_id"): moved["inquiry_id"],
            tr("col.received_at"): [day_text(d, language) for d in moved["received_at"]],
            tr("whatif.status_current"): [
                status_label(s, language) for s in moved["status_current"]
            ],
            tr("whatif.status_changed"): [
                status_label(s, language) for s in moved["status_changed"]
            ],
            tr("whatif.reasons_current"): [
                reasons_text(list(c), language, today) for c in moved["reasons_current"]
            ],
            tr("whatif.reasons_changed"): [
                reasons_text(list(c), language, changed_settings) for c in moved["reasons_changed"]
            ],
        }
    )


def main() -> None:
    if empty_database_screen():
        return
    day = as_of()
    st.title(tr("whatif.title"))
    st.caption(tr("whatif.intro"))
    if not data_check(day):
        return
    span = period_picker(day, "wi_period")
    common.keep_facts(day)  # today's rules, compared with every change tried
    overrides = rule_inputs()
    if not overrides:
        st.info(tr("whatif.unchanged"), icon=":material/tune:")
        return
    changed_settings = settings().with_overrides(overrides)
    figures, moved = common.what_if(overrides, day, span.start, span.end)
    described = ", ".join(
        tr(f"whatif.{name}") + f" = {value}" for name, value in sorted(overrides.items())
    )
    st.subheader(tr("whatif.figures_title"))
    st.caption(tr("whatif.comparing", rules=described))
    table = figures_table(figures, changed_settings)
    st.dataframe(table, hide_index=True, key="wi_figures", height=ROW_PX * (len(table) + 1) + 3)
    st.subheader(tr("whatif.moved_title", n=f"{len(moved):,}"))
    if not len(moved):
        st.info(tr("whatif.none_moved"))
        return
    common.draw_chart(
        charts.status_change_chart, moved[["status_current", "status_changed"]], lang()
    )
    table = moved_table(moved, changed_settings)
    st.dataframe(table, hide_index=True, key="wi_moved")
    common.download_csv(table, f"what-if-{day.isoformat()}.csv", "wi_download")


main()
