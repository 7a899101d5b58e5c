"""The owner's view: Overview and What-if pages (AppTest), fair comparisons, maturity, and the charts."""

from __future__ import annotations

import hashlib
import inspect
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import pipelines
from pipelines import charts
from pipelines.metrics import BY_NAME, TILE_METRICS
from pipelines.periods import Coverage, calendar_window, coverage, window
from pipelines.queries import Freshness
from pipelines.settings import DEFAULT_SETTINGS_PATH
from tests.conftest import AS_OF, assert_rows, build_db, dashboard, event, inquiry, memory_db

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("overview")

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-11-20"  # a Friday inside the sample
FAR = "2026-12-20"


def app(db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    return dashboard(db, monkeypatch, **{"as_of": DAY, **params})


def tile_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts_drawn(at: AppTest) -> list:
    return list(at.get("vega_lite_chart"))


def html_of(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


# --- Overview ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tiles_are_the_registry_s_and_equal_the_report(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Every registry tile is shown, in the language, with the report's value for the period."""
    at = app(sample_db, monkeypatch, lang=lang)
    assert not at.exception
    at.segmented_control(key="period").set_value("all").run()
    assert not at.exception
    con = pipelines.connect(sample_db)
    report = pipelines.report(con, DAY)
    headline = pipelines.headline(con, DAY)
    con.close()
    shown = tile_values(at)
    settings = pipelines.load_settings()
    assert len(shown) == len(TILE_METRICS)
    for metric in TILE_METRICS:
        label = charts.metric_label(metric.name, lang, settings)
        value = report[metric.name] if metric.name in report else headline[metric.name]
        if metric.name in report:
            assert report[metric.name] == pytest.approx(headline[metric.name])
        expected = charts.value_text(
            metric.unit,
            value,
            lang,
            with_unit=lang == "ja" or metric.unit != "count",
            short=True,
        )
        assert shown[label] == expected, metric.name
    if lang == "ja":
        assert at.title[0].value == "経営の状況"
        assert all(not label.isascii() for label in shown)
    else:
        assert shown["Conversion rate"] == f"{report['conversion_rate'] * 100:.1f}%"
        assert shown["Contracted amount"].startswith("¥")


@pytest.mark.slow
def test_overview_draws_each_trend_the_funnel_staff_time_and_people(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trends (one chart per trended metric, money together), funnel, staff time, people, digest."""
    at = app(sample_db, monkeypatch)
    assert not at.exception
    drawn = charts_drawn(at)
    assert len(drawn) == 7 + 3  # 8 trended metrics on 7 charts; funnel, staff time, per staff
    assert at.dataframe[0].value.columns[0] == "Staff"
    assert len(at.get("download_button")) == 1  # the weekly digest
    assert "What if 2 days' notice were enough?" in [s.value for s in at.subheader]


@pytest.mark.slow
def test_tiles_compare_with_the_previous_period_at_the_same_age(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The previous 30 days are counted as of their own last day: a contract signed after that day
    does not make the earlier period look better than the current one, which is still open."""
    db = build_db(
        tmp_path,
        [
            inquiry("P1", "2026-10-20 10:00", requested_for=FAR),  # previous period, signed 11-10
            inquiry("P2", "2026-10-21 10:00", requested_for=FAR),  # previous period, open
            inquiry("C1", "2026-11-20 10:00", requested_for=FAR),  # this period, open
            inquiry("C2", "2026-11-21 10:00", requested_for=FAR),  # this period, open
        ],
        [
            event("P1", "2026-10-20 15:00", "quote_sent", amount_jpy=12000),
            event("P1", "2026-11-10 10:00", "contract_signed"),
            event("C1", "2026-11-20 15:00", "quote_sent", amount_jpy=9000),
        ],
    )
    at = app(db, monkeypatch, as_of=AS_OF.isoformat())
    at.segmented_control(key="period").set_value("30").run()
    assert not at.exception
    conversion = next(m for m in at.metric if m.label == "Conversion rate")
    assert conversion.value == "0.0%"
    assert conversion.delta == "+0.0 pt"  # not "-50.0 pt": as of 10-25, P1 had not signed yet
    span = window(AS_OF, 30)
    assert (span.prev_start, span.prev_end) == (date(2026, 9, 26), date(2026, 10, 25))
    captions = " ".join(c.value for c in at.caption)
    assert "Sep 26 – Oct 25, 2026 as it stood on 2026/10/25" in captions
    assert any("2 of the 2 inquiries in this period are still open" in w.value for w in at.warning)


def test_maturity_rule_settled_share_or_older_than_contracts_take() -> None:
    """mature: ≤ 5 % still open, or the period ended longer ago than 95 % of contracts take to sign
    (here the one contract took 10 days)."""
    declined = [
        inquiry(f"D{n}", "2026-11-16 10:00", requested_for="2026-11-17") for n in range(19)
    ]  # rejected as urgent: settled
    rows = [
        inquiry("K", "2026-11-02 10:00", requested_for=FAR),  # signed 11-12: 10 days
        *[inquiry(f"O1{n}", "2026-11-02 11:00", requested_for=FAR) for n in range(9)],
        *[inquiry(f"O2{n}", "2026-11-10 11:00", requested_for=FAR) for n in range(2)],
        inquiry("U2", "2026-11-10 12:00", requested_for="2026-11-11"),
        *declined,
        inquiry("O3", "2026-11-16 11:00", requested_for=FAR),
        inquiry("O4", "2026-11-23 11:00", requested_for=FAR),
    ]
    events = [
        event("K", "2026-11-02 15:00", "quote_sent", amount_jpy=10000),
        event("K", "2026-11-12 10:00", "contract_signed"),
    ]
    con = memory_db(rows, events)
    try:
        weeks = pipelines.metrics_by(con, "W", AS_OF)
    finally:
        con.close()
    ts = pd.Timestamp
    assert_rows(
        weeks,
        [
            # 9 of 10 open, but it ended 11-08, 16 days before A (> 10): final
            {"period_start": ts("2026-11-02"), "unsettled_inquiries": 9, "mature": True},
            # 2 of 3 open and it ended 11-15, 9 days before A: not final
            {"period_start": ts("2026-11-09"), "unsettled_inquiries": 2, "mature": False},
            # 1 of 20 open (5 %): final although recent
            {"period_start": ts("2026-11-16"), "unsettled_inquiries": 1, "mature": True},
            # the current week, its one inquiry open: not final
            {"period_start": ts("2026-11-23"), "unsettled_inquiries": 1, "mature": False},
        ],
    )


def test_as_of_before_the_data_says_so_instead_of_empty_charts(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An as-of before the first inquiry: a message naming the first day; no tiles, no charts."""
    at = app(sample_db, monkeypatch, as_of="2020-01-06")
    assert not at.exception
    assert "the data starts on" in at.info[0].value
    assert not at.metric
    assert not charts_drawn(at)


def test_as_of_after_the_data_says_so_and_shows_no_zero_deltas(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An as-of long after the latest inquiry: a warning with the latest day, then no empty window."""
    at = app(sample_db, monkeypatch, as_of="2027-06-01", lang="ja")
    assert not at.exception
    assert "読み込み済みの最新の問い合わせは2026/11/24" in at.warning[0].value
    assert "受け付けた問い合わせはありません" in at.info[0].value
    assert not at.metric
    assert not charts_drawn(at)


def test_coverage_of_an_as_of_day() -> None:
    """coverage: before the first inquiry, after the latest (with the gap), within, or no data."""
    from datetime import datetime

    fresh = Freshness(datetime(2026, 1, 5, 9), datetime(2026, 11, 24, 22), None, None)
    assert coverage(fresh, date(2026, 1, 4)).state == "before_data"
    assert coverage(fresh, date(2026, 11, 24)).state == "in_data"
    assert coverage(fresh, date(2026, 11, 30)) == Coverage(
        "after_data", date(2026, 1, 5), date(2026, 11, 24), 6
    )
    assert coverage(Freshness(None, None, None, None), date(2026, 1, 1)).state == "empty"


def test_overview_prints_without_sidebar_and_widgets(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Print CSS hides the sidebar, header, buttons and inputs; the title and the date stay."""
    at = app(sample_db, monkeypatch)
    css = html_of(at)
    assert "@media print" in css
    for hidden in ('[data-testid="stSidebar"]', "header", "button", "input", ".st-key-period"):
        assert hidden in css
    assert at.title[0].value == "Business health"
    assert at.caption[0].value.startswith("As of the end of 2026/11/20 (Fri)")


@pytest.mark.slow
def test_every_page_says_how_fresh_the_data_is(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sidebar of every page: data up to the latest inquiry, and when it was last loaded."""
    at = app(sample_db, monkeypatch, lang="ja")
    for page in (None, "views/whatif.py", "views/data.py"):
        if page:
            at.switch_page(page).run()
        lines = [c.value for c in at.sidebar.caption]
        assert any(
            line.startswith("データ: 2026/11/24（火） 22:09まで（最終読み込み") for line in lines
        )


# --- What-if -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_what_if_shows_the_report_under_both_rules_and_the_inquiries_that_move(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """min_lead_days = 2: each figure equals report() today and report(overrides) changed; the
    changed-inquiries table is what_if's, with a CSV download; the settings file is not written."""
    settings_file = hashlib.sha256(DEFAULT_SETTINGS_PATH.read_bytes()).hexdigest()
    at = app(sample_db, monkeypatch, page="views/whatif.py")
    at.segmented_control(key="wi_period").set_value("all").run()
    at.number_input(key="wi_min_lead_days").set_value(2).run()
    assert not at.exception
    con = pipelines.connect(sample_db)
    current = pipelines.report(con, DAY)
    changed = pipelines.report(con, DAY, overrides={"min_lead_days": 2})
    _, moved = pipelines.what_if(con, {"min_lead_days": 2}, DAY)
    con.close()
    figures = at.dataframe[0].value.set_index("Figure")
    settings = pipelines.load_settings().with_overrides({"min_lead_days": 2})
    for name in (m.name for m in pipelines.metrics.REPORT_METRICS):
        row = figures.loc[charts.metric_label(name, "en", settings)]
        unit = BY_NAME[name].unit
        assert row["Today's rules"] == charts.value_text(unit, current[name], "en"), name
        assert row["Changed rules"] == charts.value_text(unit, changed[name], "en"), name
    assert current["urgent_requests"] != changed["urgent_requests"]
    table = at.dataframe[1].value
    assert list(table["Inquiry"]) == list(moved["inquiry_id"])
    assert len(moved) > 0
    assert at.subheader[1].value == f"{len(moved)} inquiries would change status"
    # the table as CSV and, beside it, as .xlsx (SPEC "Language and downloads")
    assert [b.key for b in at.get("download_button")] == ["wi_download", "wi_download_xlsx"]
    assert hashlib.sha256(DEFAULT_SETTINGS_PATH.read_bytes()).hexdigest() == settings_file


@pytest.mark.slow
def test_what_if_in_japanese_and_from_the_url(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """?silence_days=10 starts the page with that rule; words are Japanese."""
    at = app(sample_db, monkeypatch, lang="ja", silence_days="10", page="views/whatif.py")
    assert not at.exception
    assert at.number_input(key="wi_silence_days").value == 10
    assert at.number_input(key="wi_min_lead_days").value == 3  # a named rule: no preset
    assert at.title[0].value == "ルールを変えたら？"
    assert list(at.dataframe[0].value.columns) == ["指標", "現在のルール", "変更後", "差"]


# --- charts --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def frames(sample_db: Path) -> dict[str, pd.DataFrame]:
    con = pipelines.connect(sample_db)
    try:
        start = "2026-08-23"
        return {
            "W": pipelines.metrics_by(con, "W", DAY, start, DAY),
            "M": pipelines.metrics_by(con, "M", DAY, "2025-11-21", DAY),
            "funnel": pipelines.funnel(con, DAY, start, DAY),
            "staff_time": pipelines.staff_time_by_status(con, DAY, start, DAY),
            "staff": pipelines.staff_performance(con, DAY, start, DAY),
            "moved": pipelines.what_if(con, {"min_lead_days": 2}, DAY, start, DAY)[1],
        }
    finally:
        con.close()


def built_charts(frames: dict[str, pd.DataFrame], lang: str) -> dict[str, list]:
    """Every chart builder of pipelines.charts, with the frames it takes (one entry per builder)."""
    trends = [
        charts.trend_chart(frames[freq], names, lang, None, freq, start, DAY)
        for freq, start in (("W", "2026-08-23"), ("M", "2025-11-21"))
        for names in (
            ("conversion_rate",),
            ("contracted_amount_jpy", "staff_cost_jpy_nonconverting"),
        )
    ]
    return {
        "trend_chart": trends,
        "funnel_chart": [charts.funnel_chart(frames["funnel"], lang)],
        "staff_time_chart": [charts.staff_time_chart(frames["staff_time"], lang)],
        "staff_chart": [charts.staff_chart(frames["staff"], lang)],
        "status_change_chart": [
            charts.status_change_chart(frames["moved"], lang),
            charts.status_change_chart(frames["moved"].head(1), lang),
        ],
    }


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_chart_is_at_least_200_px_tall(frames: dict, lang: str) -> None:
    """Each builder's chart has a plot height ≥ 200 px, even with a single bar."""
    built = built_charts(frames, lang)
    builders = {
        n for n, f in inspect.getmembers(charts, inspect.isfunction) if n.endswith("_chart")
    }
    assert builders == set(built), "a chart builder without a test"
    for name, made in built.items():
        for chart in made:
            spec = chart.to_dict()
            assert spec["height"] >= 200, name
            assert spec["autosize"]["type"] == "fit-x", name


def _strings(spec: object) -> list[str]:
    if isinstance(spec, dict):
        return [s for v in spec.values() for s in _strings(v)]
    if isinstance(spec, list):
        return [s for v in spec for s in _strings(v)]
    return [spec] if isinstance(spec, str) else []


@pytest.mark.slow
def test_japanese_charts_write_dates_and_units_the_japanese_way(frames: dict) -> None:
    """lang='ja': ticks as 11/16 and 11月, periods as 2026/11/16〜11/22, values with 件/分/円/%."""
    weekly = charts.trend_chart(frames["W"], "inquiries", "ja", None, "W", "2026-08-23", DAY)
    monthly = charts.trend_chart(frames["M"], "conversion_rate", "ja", None, "M", "2025-11-21", DAY)
    w_spec, m_spec = weekly.to_dict(), monthly.to_dict()
    w_text, m_text = " ".join(_strings(w_spec)), " ".join(_strings(m_spec))
    assert "%-m/%-d" in w_text
    assert "%-m月" in m_text
    assert "%Y年%-m月" in m_text
    assert "%b" not in w_text + m_text
    rows = pd.DataFrame(next(iter(w_spec["datasets"].values())))
    assert "2026/11/16〜11/22" in " ".join(rows["period_text"])
    assert rows["value_text"].str.endswith("件").all()
    last = rows.iloc[-1]  # Mon 11-16 to Fri 11-20: 5 of 7 days
    assert last["coverage"] == "期間の一部"
    assert "7日中5日" in last["period_text"]
    assert last["state"] == "確定"  # inquiries received do not settle
    conversion = pd.DataFrame(next(iter(m_spec["datasets"].values())))
    assert conversion.iloc[-1]["state"] == "未確定"
    assert conversion["value_text"].str.endswith("%").all()


@pytest.mark.slow
def test_weekly_ticks_fall_on_mondays(frames: dict) -> None:
    """The time axis' ticks are the periods' first days: Mondays for weeks."""
    spec = charts.trend_chart(
        frames["W"], "inquiries", "en", None, "W", "2026-08-23", DAY
    ).to_dict()
    axes = [
        layer["encoding"]["x"]["axis"]
        for layer in spec["layer"]
        if "axis" in layer["encoding"]["x"]
    ]
    ticks = axes[0]["values"]
    assert ticks
    assert all(date(t["year"], t["month"], t["date"]).weekday() == 0 for t in ticks)


def test_values_carry_their_units() -> None:
    """value_text: %, 分/min, 円/¥, 件/inquiries; '—' when undefined; short yen for tiles."""
    assert charts.value_text("rate", 0.1234, "ja") == "12.3%"
    assert charts.value_text("minutes", 35.25, "ja") == "35.2分"
    assert charts.value_text("minutes", 35.25, "en") == "35.2 min"
    assert charts.value_text("yen", 1319500, "ja") == "1,319,500円"
    assert charts.value_text("yen", 1319500, "en") == "¥1,319,500"
    assert charts.value_text("yen", 1319500, "ja", short=True) == "131.9万円"
    assert charts.value_text("yen", 1319500, "en", short=True) == "¥1.32M"
    assert charts.value_text("count", 12, "ja") == "12件"
    assert charts.value_text("count", 12, "en") == "12 inquiries"
    assert charts.value_text("rate", None, "en") == "—"
    assert charts.change_text("rate", 0.2, 0.25, "ja") == "-5.0ポイント"
    assert charts.change_text("yen", 1000, 3000, "en") == "-¥2,000"


def test_words_are_defined_once_across_the_parts() -> None:
    """No key of pipelines.i18n is defined in two parts (a later one would silently win)."""
    from pipelines.i18n import PARTS

    keys = [key for part in PARTS for key in part]
    assert len(keys) == len(set(keys))


@pytest.mark.slow
def test_this_month_compares_with_the_same_days_of_last_month(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'This month' on 11-20 covers 11-01…11-20 and compares with 10-01…10-20 as of 10-20."""
    at = app(sample_db, monkeypatch)
    at.segmented_control(key="period").set_value("month").run()
    assert not at.exception
    con = pipelines.connect(sample_db)
    now = pipelines.headline(con, DAY, "2026-11-01", DAY)
    con.close()
    assert tile_values(at)["Inquiries"] == f"{now['inquiries']:,}"
    window = calendar_window(date(2026, 11, 20), "month")
    assert (window.prev_start, window.prev_end) == (date(2026, 10, 1), date(2026, 10, 20))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "freq", "expected"),
    [
        ("ja", "M", ["2025年5月", "8月", "11月", "2026年2月", "5月", "8月", "11月"]),
        ("en", "W", ["Apr 7, 2025", "Jun 30", "Sep 22", "Dec 15", "Mar 9, 2026", "Jun 1"]),
    ],
)
def test_an_axis_spanning_years_names_each_year(
    sample_db: Path, lang: str, freq: str, expected: list[str]
) -> None:
    """All time (2025-03 to 2026-11), drawn to SVG: the first tick of each year carries the year;
    a range within one year (the last 90 days) stays short."""
    import re

    from pipelines.digest import svg

    con = pipelines.connect(sample_db)
    series = pipelines.metrics_by(con, freq, DAY, None, DAY)
    recent = pipelines.metrics_by(con, "W", DAY, "2026-08-23", DAY)
    con.close()

    def ticks(frame: pd.DataFrame, by: str, start: str | None) -> list[str]:
        chart = charts.trend_chart(frame, "inquiries", lang, None, by, start, DAY, width=600)
        return re.findall(r"<text[^>]*>([^<]*)</text>", svg(chart))

    assert ticks(series, freq, None)[: len(expected)] == expected
    assert not [x for x in ticks(recent, "W", "2026-08-23") if "2026" in x]
