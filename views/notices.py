"""Notices the owner's pages share: an as-of day outside the loaded data says so, never an empty chart."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pipelines.periods import coverage, freshness_line
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
