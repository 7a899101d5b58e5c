"""The registries: each staff list and metric is declared once, and every place that shows one
iterates the registry (SQL branches, words, report keys, docs)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pipelines
from pipelines.definitions import sql_text
from pipelines.i18n import LANGS, STRINGS, day_text, t
from pipelines.metrics import BY_NAME, METRICS, TILE_METRICS, digest_trends, docs_table
from pipelines.settings import load_settings
from pipelines.vocabulary import STAFF_LIST_REGISTRY, STAFF_LIST_REPORT_KEYS, STAFF_LISTS
from pipelines.worklist import STEPS, next_step


def test_every_registered_list_has_its_sql_branch_and_words() -> None:
    """staff_list_members has one branch per registered list, and each list its four texts."""
    sql = sql_text("rules.sql")
    body = sql[sql.index("MACRO staff_list_members") : sql.index("MACRO staff_lists(")]
    assert re.findall(r"SELECT '(\w+)' AS list", body) == list(STAFF_LISTS)
    keys = ("list.{}", "list.{}.help", "list.empty.{}", "step.{}")
    missing = [
        k.format(x.name)
        for x in STAFF_LIST_REGISTRY
        for k in keys
        if k.format(x.name) not in STRINGS
    ]
    assert missing == []
    assert {x.name: x.report_key for x in STAFF_LIST_REGISTRY} == STAFF_LIST_REPORT_KEYS


def test_a_list_without_its_own_wording_names_its_step_date() -> None:
    """A list not in worklist.STEPS says step.<name> with {date} from its registered step_date."""
    settings = load_settings()
    row = {"requested_date": date(2026, 12, 1), "as_of_date": date(2026, 11, 24)}
    for lang in LANGS:
        assert next_step("upcoming", row, lang, settings) == t(
            "step.upcoming", lang, settings, date=_day(lang)
        )
    assert "upcoming" not in STEPS
    assert next_step("eligible", row, "en", settings) == t("step.eligible", "en", settings)


def _day(lang: str) -> str:
    return day_text(date(2026, 12, 1), lang)


def test_docs_metrics_table_is_the_registry_s() -> None:
    """docs/metrics.md's metrics table is exactly metrics.docs_table() (regenerate it when it fails)."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "metrics.md").read_text("utf-8")
    start = text.index("-->\n", text.index("<!-- metrics table")) + 4
    assert text[start : text.index("<!-- end of metrics table -->")] == docs_table()


def test_every_metric_is_a_column_of_period_metrics_with_words(
    sample_db: Path,
) -> None:
    """Each registered metric is a column of period_metrics and has its label (and help for a tile)."""
    con = pipelines.connect(sample_db)
    try:
        columns = set(pipelines.metrics_by(con, "M", date(2026, 11, 24)).columns)
    finally:
        con.close()
    assert [m.name for m in METRICS if m.name not in columns] == []
    assert [m.name for m in METRICS if f"metric.{m.name}" not in STRINGS] == []
    assert [m.name for m in TILE_METRICS if f"help.{m.name}" not in STRINGS] == []
    assert [n for group in digest_trends() for n in group if n not in BY_NAME] == []
