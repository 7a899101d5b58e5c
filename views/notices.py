"""Notices and controls the owner's pages share: the as-of day against the data, the period picker."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pipelines.periods import (
    Window,
    calendar_window,
    coverage,
    freshness_line,
    stale_text,
    window,
)
from views import common
from views.common import lang, tr


def data_check(day: date) -> bool:
    """Say so when the as-of day is outside the data; False when there is nothing to show."""
    place = coverage(common.freshness(), day)
    if place.state == "before_data":
        st.info(
            tr(
                "owner.before_data",
                day=common.day_label(day),
                first=common.day_label(place.first_day),
            ),
            icon=":material/event_busy:",
        )
        return False
    if place.state == "after_data":
        _clear_stale_banner()  # this warning says the same, for the owner's figures
        st.warning(
            tr(
                "owner.after_data",
                day=common.day_label(day),
                last=common.day_label(place.last_day),
                n=place.days_after,
            ),
            icon=":material/event_busy:",
        )
    return True


_BANNER = "_stale_banner"


def stale_banner() -> None:
    """Above every page, in the page itself (a phone hides the sidebar): the last day the data
    covers when that is before the as-of day. The router calls it before the page runs."""
    st.session_state.pop(_BANNER, None)
    if not common.has_data():
        return
    text = stale_text(common.freshness(), common.as_of(), lang())
    if text:
        slot = st.empty()
        slot.warning(text, icon=":material/history:")
        st.session_state[_BANNER] = slot


def _clear_stale_banner() -> None:
    """Take the banner away when a page shows its own, more specific, notice about the same gap."""
    slot = st.session_state.pop(_BANNER, None)
    if slot is not None:
        slot.empty()


def freshness_caption() -> str | None:
    """'Data up to <latest inquiry>, last loaded <when>' for the sidebar; None without data."""
    if not common.has_data():
        return None
    return freshness_line(common.freshness(), lang())


# "month"/"quarter": this calendar month or quarter to date; numbers: the last N days; None: all time
PERIODS = {"month": "month", "quarter": "quarter", "30": 30, "90": 90, "365": 365, "all": None}


def period_picker(day: date, key: str) -> Window:
    """The received-date window the owner picks (this month or quarter to date, the last 30/90/365
    days, or all time), ending on day."""
    choice = st.segmented_control(
        tr("overview.period"),
        list(PERIODS),
        default="90",
        format_func={k: tr(f"period.{k}") for k in PERIODS}.get,
        key=key,
    )
    chosen = PERIODS[choice or "90"]
    if isinstance(chosen, str):
        return calendar_window(day, chosen)
    return window(day, chosen)
