"""The registries: each staff list and metric is declared once, and every place that shows one
iterates the registry (SQL branches, words, report keys, docs)."""

from __future__ import annotations

import re
from datetime import date

from pipelines.definitions import sql_text
from pipelines.i18n import LANGS, STRINGS, day_text, t
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
