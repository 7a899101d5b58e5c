"""What a page run pays only once (issue 25's page figures) never serves a stale answer.

- The chosen language is kept for a script run (a busy Today page asks ~3,000 times): a new ?lang=
  in the next run, or an account signed in during the run, still changes it.
- A question that reads the facts several times (period_metrics, the what-if) evaluates them once
  for itself: the same answers as the view and the stored facts (tests/test_evaluation.py), nothing
  left registered, and the changed facts of a what-if tried once are not kept for the process.
- Opening one inquiry (alone=True) never builds the whole day's facts.
- Altair comes without the optional IRI grammars of jsonschema (1 CPU-s at import).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pipelines
from pipelines import api, queries

AS_OF = "2026-11-20"


def _language_script() -> None:
    import streamlit as st

    from pipelines.office.accounts import Account
    from views.common import lang

    first = lang()
    st.write(f"first:{first}")
    if st.session_state.get("sign_in"):  # as views/login.signed_in does, within the run
        other = "en" if first == "ja" else "ja"
        st.session_state["opsdash_account"] = Account("a", "A", "staff", other)
        st.write(f"signed in:{lang() == other}")


def _said(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_language_kept_for_a_run_follows_the_url_and_the_account() -> None:
    """A new ?lang= in the next run changes it; an account signed in during the run changes it at once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_language_script, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert _said(at) == ["first:en"]
    at.query_params["lang"] = "ja"
    at.run()
    assert _said(at) == ["first:ja"]

    fresh = AppTest.from_function(_language_script, default_timeout=60)
    fresh.session_state["opsdash_lang"] = None
    fresh.session_state["sign_in"] = True
    fresh.run()
    said = _said(fresh)
    assert said[1] == "signed in:True", said  # the account's language, not the one kept before it


@pytest.mark.slow
def test_period_figures_and_a_what_if_evaluate_once_and_keep_nothing(sample_db: Path) -> None:
    """The first headline and a what-if tried once read a table made for them alone: nothing is
    kept in the process cache for them, nothing stays registered, and the answers are the stored
    facts' answers."""
    con = pipelines.connect(sample_db)
    try:
        mine = api.database_key(con)
        first = api.headline(con, "2026-11-19", "2026-09-01", "2026-11-19")
        figures, moved = api.what_if(con, {"min_lead_days": 4}, AS_OF, "2026-09-01", AS_OF)
        assert [k for k in api.FACTS.stored_keys() if k[0] == mine] == []
        # asked again: kept, as any facts asked for twice (pipelines.api.evaluated)
        assert api.headline(con, "2026-11-19", "2026-09-01", "2026-11-19") == first
        assert len([k for k in api.FACTS.stored_keys() if k[0] == mine]) == 1
        registered = con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE '%_once'"
        ).fetchone()[0]
        assert registered == 0
        assert api.keep_facts(con, AS_OF)
        assert api.keep_facts(con, AS_OF, {"min_lead_days": 4})
        stored = api.what_if(con, {"min_lead_days": 4}, AS_OF, "2026-09-01", AS_OF)
        assert api.headline(con, "2026-11-19", "2026-09-01", "2026-11-19") == first
    finally:
        con.close()
    assert figures.equals(stored[0])
    assert moved.equals(stored[1])
    assert len(moved) > 0


@pytest.mark.slow
def test_opening_one_inquiry_never_builds_the_days_facts(sample_db: Path) -> None:
    """The inquiry page's three questions about one inquiry (alone=True) read it through the view,
    however often; the answers are those of the stored facts."""
    con = pipelines.connect(sample_db)
    try:
        mine = api.database_key(con)
        for _ in range(3):
            detail = queries.inquiry_detail(con, "Q0004755", AS_OF, alone=True)
            trace = api.rule_trace(con, "Q0004755", AS_OF, alone=True)
            lists = api.lists_of(con, "Q0004755", AS_OF)
        assert [k for k in api.FACTS.stored_keys() if k[0] == mine] == []
        assert api.keep_facts(con, AS_OF)
        assert queries.inquiry_detail(con, "Q0004755", AS_OF, alone=True).keys() == detail.keys()
        trace_stored = api.rule_trace(con, "Q0004755", AS_OF)
        lists_stored = api.lists_of(con, "Q0004755", AS_OF)
    finally:
        con.close()
    assert detail is not None
    assert trace.equals(trace_stored)
    assert lists.equals(lists_stored)


@pytest.mark.slow
def test_today_reads_the_details_of_cards_drawn_after_show_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today reads the details of the cards it draws in one query for the page, as the session's
    batches stand; a card drawn beyond them (a list's "show more" tapped in this run) still gets
    its own customer's name, not a blank."""
    from tests.conftest import dashboard, inquiry
    from tests.test_marks import load
    from views.work import FIRST_CARDS, MORE_CARDS

    rows = [
        inquiry(
            f"QD{n:02d}",
            f"2026-11-{1 + n % 9:02d} 10:00",
            requested_for="2026-12-20",
            customer_name=f"顧客{n:02d}",
        )
        for n in range(35)
    ]
    db = load(tmp_path, rows, [], "today_all")
    at = dashboard(db, monkeypatch, as_of="2026-11-24", lang="en", page="views/today.py")
    assert not at.exception
    names = re.findall(r'wq-name">([^<]*)<', _html(at))
    assert len(names) == FIRST_CARDS
    at.button(key="more_quote_due_cards").click().run()
    assert not at.exception
    names = re.findall(r'wq-name">([^<]*)<', _html(at))
    assert len(set(names)) == len(names) == FIRST_CARDS + MORE_CARDS
    while [b for b in at.button if b.key == "more_quote_due_cards"]:
        at.button(key="more_quote_due_cards").click().run()
    names = re.findall(r'wq-name">([^<]*)<', _html(at))
    assert sorted(names) == [f"顧客{n:02d}" for n in range(35)]


def _html(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


@pytest.mark.slow
def test_a_comparison_periods_figures_are_those_of_all_the_facts(sample_db: Path) -> None:
    """headline(period_only=True) evaluates the rules for the period's inquiries alone: every
    figure as from all the facts but `mature` (None), with or without stored facts."""
    con = pipelines.connect(sample_db)
    try:
        args = ("2026-08-22", "2026-05-25", "2026-08-22")
        alone = api.headline(con, *args, period_only=True)
        full = api.headline(con, *args)
        assert api.keep_facts(con, args[0])
        stored = api.headline(con, *args, period_only=True)
    finally:
        con.close()
    assert full["inquiries"] > 0
    assert alone["mature"] is None
    assert stored["mature"] is None
    assert {**full, "mature": None} == alone == stored


def _chart_script() -> None:
    import pandas as pd
    import streamlit as st

    from pipelines.altair_lib import alt
    from views.common import draw_chart

    def bars(frame: pd.DataFrame, colour: str) -> alt.Chart:
        return alt.Chart(frame).mark_bar(color=colour).encode(x="week:N", y="inquiries:Q")

    frame = pd.DataFrame({"week": ["W1", "W2", "W3"], "inquiries": [3, 1, st.session_state["n"]]})
    draw_chart(bars, frame, "#1f5fa8")
    st.vega_lite_chart(spec=bars(frame, "#1f5fa8").to_dict(validate=False), width="stretch")


def test_a_drawn_chart_is_what_streamlit_draws_and_follows_its_data() -> None:
    """draw_chart's spec (built and converted to Arrow once per input) reaches the browser as
    st.vega_lite_chart would send the chart itself; new data draws a new chart."""
    from streamlit.testing.v1 import AppTest

    def charts(at) -> list:
        return [e.proto for e in at.main if type(e.proto).__name__ == "VegaLiteChart"]

    at = AppTest.from_function(_chart_script, default_timeout=60)
    at.session_state["n"] = 2
    at.run()
    cached, plain = charts(at)
    assert cached.spec == plain.spec
    assert [d.data.data for d in cached.datasets] == [d.data.data for d in plain.datasets]
    at.session_state["n"] = 7  # another load: the cached spec is not reused
    at.run()
    again, plain_again = charts(at)
    assert [d.data.data for d in again.datasets] == [d.data.data for d in plain_again.datasets]
    assert [d.data.data for d in again.datasets] != [d.data.data for d in cached.datasets]


@pytest.mark.slow
def test_the_charts_import_altair_without_compiling_iri_grammars() -> None:
    """jsonschema (Altair's validator) imports rfc3987_syntax when installed, which compiles 38 Lark
    grammars at import (~1 CPU-s of a server's first Overview and of every test worker) for an "iri"
    format the Vega-Lite schema never names: pipelines.altair_lib marks it absent. A process of its
    own: in this one, whichever module imported Altair first decided."""
    import subprocess
    import sys

    script = (
        "import sys; from pipelines import charts; "
        "print(charts.alt.Chart is not None, sys.modules.get('rfc3987_syntax'), 'lark' in sys.modules)"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "None", "False"]
