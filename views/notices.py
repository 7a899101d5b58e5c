"""Notices and controls the owner's pages share: the as-of day against the data, the period picker."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pipelines.periods import Window, coverage, freshness_line, window
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


def freshness_caption() -> str | None:
    """'Data up to <latest inquiry>, last loaded <when>' for the sidebar; None without data."""
    if not common.has_data():
        return None
    return freshness_line(common.freshness(), lang())


PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}  # days received, None: all time


def period_picker(day: date, key: str) -> Window:
    """The received-date window the owner picks (last 30/90/365 days or all time), ending on day."""
    choice = st.segmented_control(
        tr("overview.period"),
        list(PERIODS),
        default="90",
        format_func={k: tr(f"period.{k}") for k in PERIODS}.get,
        key=key,
    )
    return window(day, PERIODS[choice or "90"])
