"""Figures and dates as the owner's charts, tiles and digest write them, in either language:
values with their unit, changes with their sign, date ranges. (pipelines.charts re-exports them.)"""

from __future__ import annotations

import math

import pandas as pd

from pipelines.i18n import t, yen
from pipelines.settings import Settings


def value_text(
    unit: str, value: object, lang: str, with_unit: bool = True, short: bool = False
) -> str:
    """A figure with its unit: 12.4% · 35.3分 / 35.3 min · 12,000円 / ¥12,000 · 12件 / 12; '—' if none.

    short: large yen amounts rounded for a tile (171.9万円 / ¥1.72M, ¥472k)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "—"
    number = float(value)
    if unit == "rate":
        return f"{number * 100:.1f}%"
    if unit == "yen":
        return short_yen(number, lang) if short else yen(number, lang)
    if unit == "minutes":
        shown = f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"
        return t("unit.minutes", lang, n=shown) if with_unit else shown
    shown = f"{round(number):,}"
    return t("unit.count", lang, n=shown) if with_unit else shown


def short_yen(amount: float, lang: str, scale: float | None = None) -> str:
    """Yen rounded for a tile: 171.9万円, 4.2億円 / ¥1.72M, ¥472k; exact below 100,000.

    scale: the size that picks the unit (default: the amount's), so that a change is worded in its
    figure's unit (+0.5万円 beside 171.9万円, never +5,000円)."""
    size = abs(amount) if scale is None else abs(scale)
    if lang == "ja":
        if size >= 1e8:
            return f"{amount / 1e8:,.1f}億円"
        return f"{amount / 1e4:,.1f}万円" if size >= 1e5 else yen(amount, lang)
    if size >= 1e6:
        return f"¥{amount / 1e6:,.2f}M"
    return f"¥{amount / 1e3:,.0f}k" if size >= 1e5 else yen(amount, lang)


def minutes_change(diff: float) -> str:
    """A change in minutes, signed and rounded for reading: +2,937 · -12 · +2.5 · +0 (never -0.0)."""
    shown = round(diff) if abs(diff) >= 10 else round(diff, 1)
    if shown == 0:
        return "+0"
    if shown == int(shown):
        return f"{int(shown):+,}"
    return f"{shown:+.1f}"


def change_text(
    unit: str, now: object, before: object, lang: str, short: bool = False
) -> str | None:
    """The change from before to now in the figure's unit (rates in points), or None."""
    if now is None or before is None or pd.isna(now) or pd.isna(before):
        return None
    diff = float(now) - float(before)
    if unit == "rate":
        points = round(diff * 100, 1)
        return t("unit.points", lang, n=f"{points + 0.0:+.1f}")  # + 0.0: never "-0.0"
    if unit == "yen":
        sign = "+" if diff >= 0 else "-"  # ASCII: st.metric reads the direction from it
        scale = max(abs(float(now)), abs(float(before)))
        return sign + (short_yen(abs(diff), lang, scale) if short else yen(abs(diff), lang))
    if unit == "minutes":
        return t("unit.minutes", lang, n=minutes_change(diff))
    return f"{round(diff):+,}"


def metric_label(name: str, lang: str, settings: Settings | None = None) -> str:
    """A metric's name in plain words."""
    return t(f"metric.{name}", lang, settings)


def date_text(day: object, lang: str, year: bool = False) -> str:
    """A date on a chart: 11/16 or 2026/11/16 / Nov 16 or Nov 16, 2026."""
    stamp = pd.Timestamp(day)
    if lang == "ja":
        return f"{stamp.year}/{stamp.month}/{stamp.day}" if year else f"{stamp.month}/{stamp.day}"
    return f"{stamp:%b} {stamp.day}" + (f", {stamp.year}" if year else "")


def month_text(day: object, lang: str) -> str:
    """A month: 2026年11月 / Nov 2026."""
    stamp = pd.Timestamp(day)
    return f"{stamp.year}年{stamp.month}月" if lang == "ja" else f"{stamp:%b %Y}"


def range_text(first: object, last: object, lang: str) -> str:
    """Two dates as a range: 2026/11/16〜11/22 / Nov 16 – Nov 22, 2026."""
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    if lang == "ja":
        return f"{date_text(a, lang, year=True)}〜{date_text(b, lang, year=a.year != b.year)}"
    return f"{date_text(a, lang, year=a.year != b.year)} – {date_text(b, lang, year=True)}"


def whatif_money_text(figures: pd.DataFrame, lang: str) -> str:
    """What the changed rules do to contracts and money (counts and yen), from what_if's figures:
    says plainly when there are no extra contracts and no extra revenue."""
    by_name = figures.set_index("metric")
    contracts = by_name.loc["converted"]
    amount = by_name.loc["contracted_amount_jpy"]
    if contracts["current"] == contracts["changed"] and amount["current"] == amount["changed"]:
        return t(
            "whatif.money_same",
            lang,
            contracts=f"{int(contracts['current']):,}",
            amount=value_text("yen", amount["current"], lang),
        )
    return t(
        "whatif.money_changed",
        lang,
        before=f"{int(contracts['current']):,}",
        after=f"{int(contracts['changed']):,}",
        amount_before=value_text("yen", amount["current"], lang),
        amount_after=value_text("yen", amount["changed"], lang),
    )


def unjudged_note(
    series: pd.DataFrame, metrics: tuple[str, ...], freq: str, lang: str, settings: Settings
) -> str | None:
    """Why a silent-after-quote line stops before the others (its latest periods hold no quote
    older than silence_days), with the last period it reaches; None when it does not stop early."""
    if "silent_after_quote_rate" not in metrics or not len(series):
        return None
    rates = series["silent_after_quote_rate"].reset_index(drop=True)
    judged = rates.notna()
    if not judged.any() or judged.iloc[-1]:
        return None
    last = series["period_start"].reset_index(drop=True)[judged[judged].index[-1]]
    shown = month_text(last, lang) if freq == "M" else date_text(last, lang)
    return t("chart.silence_wait", lang, settings, last=shown)
