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
from pipelines.settings import SETTINGS, Setting, SettingsError, coerce
from views import common
from views.common import as_of, empty_database_screen, lang, settings, tr
from views.notices import data_check, period_picker

ROW_PX = 35  # a dataframe row's height: the figures table shows every row without scrolling
# The settings the owner may change here, from the registry: the main ones in a row, the rest below.
CONTROLS = tuple(s for s in SETTINGS if s.whatif != "none")


def closed_days_text(value: tuple[tuple[str, str], ...]) -> str:
    """closed_days as the What-if field and `--set` write it: 12-29..01-03,08-13..08-16."""
    return ",".join(f"{a}..{b}" for a, b in value)


def starting_values() -> dict[str, object]:
    """The rules the inputs start from: ?min_lead_days=2 (etc.) in the URL, else today's rules with
    one day less notice — the owner's first question — when no rule is named."""
    current = settings()
    start: dict[str, object] = {s.name: getattr(current, s.name) for s in CONTROLS}
    named = False
    for setting in CONTROLS:
        raw = st.query_params.get(setting.name)
        if raw is None:
            continue
        try:
            start[setting.name] = coerce(setting, raw, "?")
        except SettingsError:
            continue
        named = True
    if not named and current.min_lead_days > 0:
        start["min_lead_days"] = current.min_lead_days - 1
    return start


def _control(where, setting: Setting, start: object, today: object) -> object:
    """One setting's input on the page, its value in the setting's own type."""
    key, label = f"wi_{setting.name}", tr(f"whatif.{setting.name}")
    if setting.kind == "bool":
        return where.toggle(
            label, value=bool(start), key=key, help=tr(f"whatif.{setting.name}_help")
        )
    if setting.kind == "closed_days":
        text = where.text_input(
            label,
            value=closed_days_text(start),
            key=key,
            help=tr("whatif.today_value", value=closed_days_text(today) or "—"),
        )
        try:
            return coerce(setting, text, "closed_days")
        except SettingsError:
            where.warning(tr("whatif.bad_closed_days", value=text))
            return today
    return where.number_input(
        label,
        min_value=setting.minimum,
        max_value=setting.maximum,
        value=int(start),
        step=1,
        key=key,
        help=tr("whatif.today_value", value=today),
    )


def rule_inputs() -> dict[str, object]:
    """One input per rule; the overrides the owner chose (those that differ from today's rules)."""
    current = settings()
    start = starting_values()
    main_row = [s for s in CONTROLS if s.whatif == "main"]
    chosen: dict[str, object] = {}
    for column, setting in zip(st.columns(len(main_row)), main_row, strict=True):
        chosen[setting.name] = _control(
            column, setting, start[setting.name], getattr(current, setting.name)
        )
    more = [s for s in CONTROLS if s.whatif == "more"]
    changed_below = any(start[s.name] != getattr(current, s.name) for s in more)
    with st.expander(tr("whatif.more"), expanded=changed_below):
        for setting in more:
            chosen[setting.name] = _control(
                st, setting, start[setting.name], getattr(current, setting.name)
            )
    return {k: v for k, v in chosen.items() if v != getattr(current, k)}


def figures_table(figures: pd.DataFrame, changed_settings) -> pd.DataFrame:
    """Each report figure under today's rules and under the changed ones, with units, and the change."""
    rows = []
    for row in figures.itertuples():
        metric = BY_NAME[row.metric]
        current = charts.value_text(metric.unit, row.current, lang())
        changed = charts.value_text(metric.unit, row.changed, lang())
        rows.append(
            {
                tr("whatif.figure"): charts.metric_label(row.metric, lang(), changed_settings),
                tr("whatif.current"): current,
                tr("whatif.changed"): changed,
                # a figure shown the same both ways says so in words, never a signed zero ("+0分")
                tr("whatif.difference"): (
                    tr("whatif.no_change")
                    if changed == current
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
    overrides = rule_inputs()
    if not overrides:  # nothing to compare yet: no facts are evaluated for this screen
        st.info(tr("whatif.unchanged"), icon=":material/tune:")
        return
    # no keep_facts: what_if evaluates both sides for the period's inquiries alone (cheaper than
    # a whole day's facts at a million inquiries), or reads them stored by the Overview
    changed_settings = settings().with_overrides(overrides)
    figures, moved = common.what_if(overrides, day, span.start, span.end)
    described = ", ".join(
        tr(f"whatif.{name}") + f" = {closed_days_text(value) if name == 'closed_days' else value}"
        for name, value in sorted(overrides.items())
    )
    st.subheader(tr("whatif.figures_title"))
    st.caption(tr("whatif.comparing", rules=described))
    table = figures_table(figures, changed_settings)
    st.dataframe(table, hide_index=True, key="wi_figures", height=ROW_PX * (len(table) + 1) + 3)
    st.info(charts.whatif_money_text(figures, lang()), icon=":material/payments:")
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
