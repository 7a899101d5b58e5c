"""The owner's Overview as of Fri 2026-11-20 on the sample (AppTest): a shared ?period= opens that
period and a chosen one is written to the URL; "this month" by month shows trends by week and says so;
a year compared with a year only partly in the data is warned about; Inquiries keeps ?q=."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import dashboard

DAY = "2026-11-20"


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.mark.slow
def test_a_shared_period_opens_and_a_chosen_one_is_kept_in_the_url(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """?period=30 opens the last 30 days; choosing 365 writes period=365 to the URL."""
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="en", period="30")
    assert not at.exception
    assert at.segmented_control(key="period").value == "30"
    at.segmented_control(key="period").set_value("365").run()
    assert at.query_params["period"] in ("365", ["365"])


@pytest.mark.slow
def test_this_month_by_month_shows_weeks_and_says_so(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """11/1–11/20 holds one month: the trends are drawn by week, with a note."""
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="ja", period="month")
    at.segmented_control(key="freq").set_value("M").run()
    assert not at.exception
    assert "この期間は月単位では3点に満たないため、週単位で表示しています。" in captions(at)


@pytest.mark.slow
def test_a_year_against_a_partly_covered_year_is_warned(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample starts after 2024-11-21: the 365 days before the last 365 are only partly there."""
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="en", period="365")
    assert not at.exception
    warned = [w.value for w in at.warning if "only partly covered" in w.value]
    assert len(warned) == 1


def test_a_shared_search_opens_on_inquiries(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """?q=… fills the search box of the Inquiries page."""
    at = dashboard(
        sample_db, monkeypatch, as_of=DAY, lang="en", q="Q0004931", page="views/inquiries.py"
    )
    assert not at.exception
    assert at.text_input(key="search").value == "Q0004931"


@pytest.mark.slow
def test_changes_against_a_partly_covered_period_are_not_coloured_good_or_bad(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last 365 days: the year before holds 257 of 365 days of data, so no tile's change is red or
    green; the last 30 days (wholly covered before) still colour theirs."""
    from streamlit.proto.Metric_pb2 import Metric

    gray = Metric.MetricColor.GRAY
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="ja", period="365")
    assert not at.exception
    assert [w.value for w in at.warning if "365日中257日分" in w.value]
    shown = [m for m in at.metric if m.delta]
    assert len(shown) == len(at.metric)
    assert {m.label: m.proto.color for m in shown} == {m.label: gray for m in shown}
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="ja", period="30")
    assert not at.exception
    assert {m.proto.color for m in at.metric if m.delta} - {gray}


def _y_sorts(spec: object) -> list[list[str]]:
    """Every explicit y order in a Vega-Lite spec (a bar chart's rows, top to bottom)."""
    found: list[list[str]] = []
    if isinstance(spec, dict):
        encoding = spec.get("encoding")
        y = encoding.get("y") if isinstance(encoding, dict) else None
        if isinstance(y, dict) and isinstance(y.get("sort"), list):
            found.append(y["sort"])
        for value in spec.values():
            found += _y_sorts(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _y_sorts(value)
    return found


@pytest.mark.slow
def test_people_chart_and_table_agree_and_the_rates_are_explained(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last 12 months, ja: the table lists staff in the chart's order, writes counts with
    thousands separators, and the caption says why each person's rate is above the company's."""
    import json

    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="ja", period="365")
    assert not at.exception
    table = next(d for d in at.dataframe if "担当" in d.value.columns)
    names = list(table.value["担当"])
    staff_orders = [
        order
        for chart in at.get("vega_lite_chart")
        for order in _y_sorts(json.loads(chart.proto.spec))
        if set(order) == set(names)
    ]
    assert staff_orders
    assert all(order == names for order in staff_orders)
    assert names == ["佐藤", "田中", "高橋", "鈴木"]  # most first quotes first (628, 610, 607, 591)
    columns = json.loads(table.proto.columns)
    assert columns["対応時間（分）"]["type_config"]["format"] == "%,d"  # 20,864, not 20864
    assert (
        "会社全体の成約率21.0%は、見積を送らなかった416件を含む全2,852件に対する割合"
        in captions(at)
    )


@pytest.mark.slow
def test_the_silence_line_says_why_it_stops_early(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last 90 days by week: the week of 11/16 has no quote older than silence_days (7), so the
    silent-after-quote line ends at 11/9, and the caption under it says so, with the 7 days."""
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="ja", period="90")
    assert not at.exception
    assert (
        "見積から7日たっていない見積は、お客様がまだ返信する可能性があるため判定できません。"
        "そのため線は11/9までです。"
    ) in captions(at)
    at = dashboard(sample_db, monkeypatch, as_of=DAY, lang="en", period="90")
    assert "Quotes younger than 7 days cannot be judged yet" in captions(at)


@pytest.mark.slow
def test_what_if_says_no_change_where_a_figure_reads_the_same(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Last 90 days with silence_days = 14: staff time per lost inquiry goes 30.33 → 30.31 min, both
    shown as 30.3分, so its difference says 変化なし like every other unchanged row, never "+0分"."""
    at = dashboard(
        sample_db, monkeypatch, as_of=DAY, lang="ja", silence_days="14", page="views/whatif.py"
    )
    at.segmented_control(key="wi_period").set_value("90").run()
    assert not at.exception
    figures = at.dataframe[0].value.set_index("指標")
    row = figures.loc["失注1件の対応時間"]
    assert (row["現在のルール"], row["変更後"], row["差"]) == ("30.3分", "30.3分", "変化なし")
    same = figures[figures["現在のルール"] == figures["変更後"]]
    assert len(same) > 1
    assert set(same["差"]) == {"変化なし"}
    differs = figures[figures["現在のルール"] != figures["変更後"]]
    assert len(differs)
    assert not [d for d in differs["差"] if d in ("", "変化なし") or "+0分" in d]
