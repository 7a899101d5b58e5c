"""The registry of headline metrics: each declared once with its unit, direction and where it shows.

The SQL (``period_metrics`` in ``pipelines/sql/rules.sql``) computes each value as the column of the
metric's name; this registry says how to present it. The report's keys, the CLI's rows, the Overview's
tiles and charts, the digest's rows and trends, the What-if table, the charts' final/not-final marks,
the translation checks and the metrics table of docs/metrics.md (a test compares it with
``docs_table()``) all come from here, so adding a metric touches the SQL, this list and its words
(``metric.<name>``, and ``help.<name>`` for a tile, in ``pipelines/i18n/owner.py``) only.
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
    definition: str  # how it is computed, for docs/metrics.md
    in_report: bool = True  # a key of `report --json` (and a row of the CLI, digest and What-if)
    tile: tuple[int, int] | None = None  # (row, place) of its tile on the Overview
    chart: str | None = None  # the Overview chart it is trended on (same name: drawn together)
    digest_trend: int | None = None  # place of its chart among the digest's trends
    digest_row: bool | None = None  # a row of the digest's headline table (default: in_report)
    # final as soon as the period's inquiries are received (no wait for their outcomes)
    settled_when_received: bool = False

    @property
    def trended(self) -> bool:
        """Whether it has a chart per week/month on the Overview."""
        return self.chart is not None


METRICS: tuple[Metric, ...] = (
    Metric(
        "inquiries",
        "count",
        None,
        True,
        "inquiries received in the period",
        tile=(1, 1),
        chart="inquiries",
        digest_trend=1,
        settled_when_received=True,
    ),
    Metric("quoted", "count", None, True, "inquiries with a quote"),
    Metric("converted", "count", None, True, "inquiries with a contract (cancelled ones too)"),
    Metric(
        "conversion_rate",
        "rate",
        False,
        False,
        "converted ÷ inquiries (cancelled contracts count as converted)",
        tile=(1, 2),
        chart="conversion_rate",
        digest_trend=2,
    ),
    Metric("judged_quotes", "count", None, True, "quotes whose silence_days have passed by A"),
    Metric("silent", "count", True, True, "judged quotes with no customer contact in time"),
    Metric(
        "silent_after_quote_rate",
        "rate",
        True,
        False,
        "silent ÷ judged quotes",
        tile=(3, 1),
        chart="silent_after_quote_rate",
    ),
    Metric(
        "urgent_requests",
        "count",
        True,
        True,
        "urgent inquiries",
        tile=(1, 4),
        chart="urgent_requests",
        settled_when_received=True,
    ),
    Metric(
        "nonconverting_inquiries",
        "count",
        True,
        True,
        "inquiries declined, rejected, silent or expired",
    ),
    Metric(
        "staff_minutes_nonconverting",
        "minutes",
        True,
        True,
        "staff minutes on non-converting inquiries",
    ),
    Metric(
        "staff_minutes_per_nonconverting_inquiry",
        "minutes",
        True,
        False,
        "staff minutes on declined/rejected/silent/expired ÷ their number",
        tile=(3, 2),
        chart="staff_minutes_per_nonconverting_inquiry",
        digest_trend=4,
    ),
    Metric(
        "quote_sla_rate",
        "rate",
        False,
        False,
        "quoted with SLA met ÷ quoted",
        tile=(1, 3),
        chart="quote_sla_rate",
    ),
    Metric(
        "contracted_amount_jpy",
        "yen",
        False,
        True,
        "quoted amounts of contracted inquiries, summed",
        tile=(2, 1),
        chart="money",
        digest_trend=3,
    ),
    Metric(
        "urgent_share",
        "rate",
        True,
        False,
        "urgent inquiries ÷ inquiries",
        in_report=False,
        settled_when_received=True,
    ),
    Metric(
        "average_quote_jpy",
        "yen",
        None,
        False,
        "average quoted amount of quoted inquiries",
        in_report=False,
        tile=(2, 2),
        digest_row=True,
    ),
    Metric(
        "staff_cost_jpy_nonconverting",
        "yen",
        True,
        False,
        "staff_minutes_nonconverting × hourly_cost_jpy ÷ 60",
        in_report=False,
        tile=(2, 3),
        chart="money",
        digest_trend=3,
        digest_row=True,
    ),
    Metric(
        "staff_cost_jpy_per_nonconverting_inquiry",
        "yen",
        True,
        False,
        "staff_minutes_per_nonconverting_inquiry × hourly_cost_jpy ÷ 60",
        in_report=False,
        tile=(2, 4),
    ),
)
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}
REPORT_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.in_report)
TILE_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.tile)
TRENDED_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.trended)
DIGEST_ROWS: tuple[Metric, ...] = tuple(
    m for m in METRICS if (m.in_report if m.digest_row is None else m.digest_row)
)
SETTLED_WHEN_RECEIVED: frozenset[str] = frozenset(
    m.name for m in METRICS if m.settled_when_received
)


def tile_rows() -> list[list[Metric]]:
    """The Overview's tiles, row by row, each row in its places."""
    rows: dict[int, list[Metric]] = {}
    for metric in sorted(TILE_METRICS, key=lambda m: m.tile):
        rows.setdefault(metric.tile[0], []).append(metric)
    return [rows[r] for r in sorted(rows)]


def chart_groups() -> list[tuple[str, ...]]:
    """The Overview's trend charts: the metrics drawn on each, in registry order."""
    groups: dict[str, list[str]] = {}
    for metric in TRENDED_METRICS:
        groups.setdefault(metric.chart, []).append(metric.name)
    return [tuple(names) for names in groups.values()]


def digest_trends() -> list[tuple[str, ...]]:
    """The digest's trend charts in their places: the metrics drawn on each."""
    places: dict[int, list[str]] = {}
    for metric in METRICS:
        if metric.digest_trend is not None:
            places.setdefault(metric.digest_trend, []).append(metric.name)
    return [tuple(places[p]) for p in sorted(places)]


def docs_table() -> str:
    """The metrics table of docs/metrics.md (Markdown), generated from the registry and the words."""
    from pipelines.i18n import t

    lines = ["| metric | unit | definition | 日本語 |", "|---|---|---|---|"]
    for m in METRICS:
        label = t(f"metric.{m.name}", "ja")
        lines.append(f"| `{m.name}` | {m.unit} | {m.definition} | {label} |")
    return "\n".join(lines) + "\n"


def report_value(metric: Metric, value: object) -> int | float | None:
    """A period_metrics value as the report gives it: int, float, or None when undefined (NaN/NULL)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return int(value) if metric.integer else float(value)


if __name__ == "__main__":  # print the docs table: python -m pipelines.metrics
    print(docs_table(), end="")
