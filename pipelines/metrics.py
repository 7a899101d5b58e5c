"""The registry of headline metrics: name, unit, direction, and where each one is shown.

The SQL (``period_metrics`` in ``pipelines/sql/rules.sql``) is the one definition of each value; this
registry says how to present it. The report's keys, the Overview's tiles and trends, the CLI's rows and
the translation checks all come from here, so adding a metric touches the SQL, this list and the
translations (``metric.<name>`` and ``help.<name>`` in ``pipelines.i18n``) only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "rate", "minutes", "yen"]


@dataclass(frozen=True)
class Metric:
    """How one column of period_metrics is reported and shown."""

    name: str
    unit: Unit  # count of inquiries, fraction 0–1, staff minutes, or yen
    higher_is_bad: bool | None  # None: neither direction is good or bad
    integer: bool  # whole numbers in the report (counts, yen totals); else a float
    in_report: bool = True  # a key of `report --json`
    tile: bool = False  # a tile on the Overview
    trended: bool = False  # a chart per week/month on the Overview


METRICS: tuple[Metric, ...] = (
    Metric("inquiries", "count", None, True, tile=True, trended=True),
    Metric("quoted", "count", None, True),
    Metric("converted", "count", None, True),
    Metric("conversion_rate", "rate", False, False, tile=True, trended=True),
    Metric("judged_quotes", "count", None, True),
    Metric("silent", "count", True, True),
    Metric("silent_after_quote_rate", "rate", True, False, tile=True, trended=True),
    Metric("urgent_requests", "count", True, True, tile=True, trended=True),
    Metric("nonconverting_inquiries", "count", True, True),
    Metric("staff_minutes_nonconverting", "minutes", True, True),
    Metric(
        "staff_minutes_per_nonconverting_inquiry", "minutes", True, False, tile=True, trended=True
    ),
    Metric("quote_sla_rate", "rate", False, False, tile=True, trended=True),
    Metric("contracted_amount_jpy", "yen", False, True, tile=True, trended=True),
    Metric("urgent_share", "rate", True, False, in_report=False),
    Metric("average_quote_jpy", "yen", None, False, in_report=False, tile=True),
    Metric(
        "staff_cost_jpy_nonconverting", "yen", True, False, in_report=False, tile=True, trended=True
    ),
    Metric(
        "staff_cost_jpy_per_nonconverting_inquiry", "yen", True, False, in_report=False, tile=True
    ),
)
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
REPORT_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.in_report)
TILE_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.tile)
TRENDED_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.trended)


def report_value(metric: Metric, value: object) -> int | float | None:
    """A period_metrics value as the report gives it: int, float, or None when undefined (NaN/NULL)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return int(value) if metric.integer else float(value)
