"""What every page shares: language, as-of date, cached queries keyed by the database version."""

from __future__ import annotations

import io
import threading
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

import pipelines
from pipelines.i18n import LANGS, t

CACHE_SECONDS = 300
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def db_path() -> Path:
    """The database the app reads ($OPSDASH_DB, default data/ops.duckdb)."""
    return pipelines.default_db_path()


def lang() -> str:
    """The chosen language: ?lang= in the URL, else English."""
    value = st.query_params.get("lang", "en")
    return value if value in LANGS else "en"


def tr(key: str, **values: object) -> str:
    """A UI string in the chosen language."""
    return t(key, lang(), **values)


def as_of() -> date:
    """The as-of day: ?as_of=YYYY-MM-DD in the URL, else today in Japan."""
    raw = st.query_params.get("as_of")
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            st.sidebar.warning(f"as_of={raw!r}: expected YYYY-MM-DD")
    return pipelines.today_in_japan()


@st.cache_resource(max_entries=2, show_spinner=False)
def snapshot(db: str, version: str) -> tuple[duckdb.DuckDBPyConnection, threading.Lock]:
    """One read-only connection per database version, shared by all sessions under a lock.

    Its facts table (pipelines.facts_table) then serves every figure for an as-of day; a load
    changes the version, so the next query opens the new file and the old one is dropped.
    """
    return pipelines.connect(db), threading.Lock()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def query(name: str, db: str, version: str, *args: Any) -> Any:
    """Run one pipelines API function on the current snapshot; cached per database version."""
    con, lock = snapshot(db, version)
    with lock:
        if name == "inquiry_count":
            return con.execute("SELECT count(*) FROM inquiries").fetchone()[0]
        if name == "loads":
            return con.execute("SELECT * FROM loads ORDER BY load_id DESC, file_name").fetchdf()
        if name == "quarantine":
            return con.execute(
                "SELECT file_name, sheet, line, column_name, reason, raw FROM quarantine "
                "ORDER BY load_id DESC, file_name, line"
            ).fetchdf()
        if name == "orphans":
            return con.execute(
                "SELECT inquiry_id, event_at, event, staff, source_file, source_line "
                "FROM orphan_events ORDER BY event_at"
            ).fetchdf()
        return getattr(pipelines, name)(con, *args)


def run(name: str, *args: Any) -> Any:
    """query() for the current database file."""
    db = db_path()
    return query(name, str(db), pipelines.database_version(db), *args)


def pct(value: float | None) -> str:
    """A fraction as a percentage with one decimal, or a dash."""
    return "—" if value is None or value != value else f"{value * 100:.1f}%"


def safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV for Excel: UTF-8 with BOM, and cells that could run as formulas neutralised with a quote."""

    def neutral(value: object) -> object:
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            return "'" + value
        return value

    out = io.StringIO()
    frame.map(neutral).to_csv(out, index=False)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def empty_database_screen() -> bool:
    """Show the first-run screen when no inquiries are loaded; True when shown."""
    if run("inquiry_count"):
        return False
    st.header(tr("empty.title"))
    st.write(tr("empty.body"))
    if st.button(tr("empty.load_sample"), type="primary", key="load_sample"):
        sample = sorted(
            p
            for p in (Path(__file__).resolve().parent.parent / "data" / "sample").iterdir()
            if p.suffix in (".csv", ".xlsx")
        )
        with st.spinner(tr("data.loading")):
            pipelines.load_files(sample, db_path())
        st.rerun()
    return True
