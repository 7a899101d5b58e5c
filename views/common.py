"""What every page shares: language, as-of date, settings, and cached queries keyed by database version.

Pages only lay out what ``pipelines`` computes. Each query function of ``pipelines.api`` and
``pipelines.queries`` is wrapped once by ``cached``: one read-only snapshot per database version is
opened for the process, and each session queries it through its own cursor (no lock shared between
sessions). The facts of a day are built once for every session (``pipelines.api.FACTS``), and
results are cached per (database version, settings, arguments), so a load or a settings change never
serves stale figures.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import pipelines
from pipelines import api, queries, store
from pipelines.definitions import RULES_SQL, session_cursor
from pipelines.export import safe_csv
from pipelines.i18n import LANGS, day_text, quarantine_text, t, when_text
from pipelines.office import audit, marks
from pipelines.settings import Settings, SettingsError, load_settings
from pipelines.untrusted import for_markdown

CACHE_SECONDS = 600
P = ParamSpec("P")
R = TypeVar("R")


def db_path() -> Path:
    """The database the app reads ($OPSDASH_DB, default data/ops.duckdb)."""
    return pipelines.default_db_path()


def current_user() -> Any:
    """The signed-in account (pipelines.office.accounts.Account), or None without accounts."""
    return st.session_state.get("opsdash_account")


def office_language() -> str:
    """The office's language setting ('ja' unless the settings say 'en')."""
    try:
        value = getattr(settings(), "language", "ja")
    except SettingsError:  # unreadable settings: the lock says so, in the default language
        value = "ja"
    return value if value in LANGS else "ja"


_RUN_LANG: dict[str, tuple[object, object, str]] = {}  # per session: (run marker, account, lang)


def lang() -> str:
    """The chosen language: ?lang= in the URL (kept for the session: page links drop the URL's
    parameters), else the account's, else the office's (default ja).

    A busy Today page asks ~3,000 times (31 µs each through the URL's and the session's proxies):
    the answer is kept for the script run and the signed-in account; choosing another language
    sets ?lang= and starts a new run."""
    ctx = get_script_run_ctx()  # widgets' format_func may run outside a script run
    if ctx is None:
        return _lang_now(False)
    state = ctx.session_state  # SafeSessionState: no .get()
    account = None
    if "opsdash_account" in state:
        account = state["opsdash_account"]
    kept = _RUN_LANG.get(ctx.session_id)
    if kept is not None and kept[0] is ctx.cursors and kept[1] is account:
        return kept[2]
    value = _lang_now(True)
    _RUN_LANG[ctx.session_id] = (ctx.cursors, account, value)
    if len(_RUN_LANG) > 4096:
        _RUN_LANG.clear()
    return value


def _lang_now(in_run: bool) -> str:
    value = st.query_params.get("lang") if in_run else None
    if value in LANGS:
        st.session_state["opsdash_lang"] = value
        return value
    if in_run and st.session_state.get("opsdash_lang") in LANGS:
        return st.session_state["opsdash_lang"]
    account = current_user() if in_run else None
    if account is not None:
        return account.lang
    return office_language()


_SETTINGS: dict[tuple[str, int, int], Settings] = {}  # by file, modification time and size
_SETTINGS_LOCK = threading.Lock()
_RUN_SETTINGS: dict[str, tuple[object, Settings]] = {}  # per session: (its run's marker, settings)


def settings() -> Settings:
    """The active settings (reloaded when the settings file changes).

    Every worded line asks for them (a busy Today page: ~1,700 times), so they are kept in a plain
    dict by the file's path, modification time and size (a Streamlit cache's key hashing made this
    a second of every such page's server time), and the file is looked at once per script run."""
    ctx = get_script_run_ctx()
    run = _RUN_SETTINGS.get(ctx.session_id) if ctx is not None else None
    if run is not None and run[0] is ctx.cursors:  # the same script run: the file was looked at
        return run[1]
    found = _settings_now()
    if ctx is not None:
        _RUN_SETTINGS[ctx.session_id] = (ctx.cursors, found)  # ctx.cursors is new in every run
        if len(_RUN_SETTINGS) > 4096:
            _RUN_SETTINGS.clear()
    return found


def _settings_now() -> Settings:
    from pipelines.settings import settings_path

    path = settings_path()
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (str(path), 0, 0)
    found = _SETTINGS.get(key)
    if found is None:
        found = load_settings()  # a SettingsError is raised again on the next call
        with _SETTINGS_LOCK:
            if len(_SETTINGS) > 16:
                _SETTINGS.clear()
            _SETTINGS[key] = found
    return found


def tr(key: str, **values: object) -> str:
    """A UI string in the chosen language, numbers of the rules taken from the active settings."""
    return t(key, lang(), settings(), **values)


def as_of() -> date:
    """The as-of day: ?as_of=YYYY-MM-DD in the URL, else today in Japan."""
    raw = st.query_params.get("as_of")
    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            st.sidebar.warning(tr("sidebar.bad_as_of", value=for_markdown(raw)))
    return pipelines.today_in_japan()


@st.cache_resource(max_entries=2, show_spinner=False)
def snapshot(db: str, version: str, settings_key: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per database version and settings; sessions read it by cursor."""
    return pipelines.connect(db, settings(), sql_files=RULES_SQL)  # no page reads parse.sql's


class SessionCursor:
    """One session's cursor of one snapshot (key) and the lock its queries take.

    Once a newer snapshot is in use, an idle session's cursor is closed (cursor None): an open tab
    nobody touches, or a closed one (Streamlit keeps a closed tab's session two minutes), would
    otherwise keep the old database version open with its threads and memory (~0.5 GB at 1M
    inquiries; measured in issue 25: the Overview's server CPU doubled after a few loads)."""

    def __init__(self, key: tuple, cursor: duckdb.DuckDBPyConnection) -> None:
        self.key = key
        self.cursor: duckdb.DuckDBPyConnection | None = cursor
        self.lock = threading.Lock()


_CURSORS: weakref.WeakSet[SessionCursor] = weakref.WeakSet()  # every session's, while it lives
_CURSORS_LOCK = threading.Lock()


def release_superseded(current: tuple) -> int:
    """Close the cursors of other snapshots than current whose sessions are not querying; how many."""
    with _CURSORS_LOCK:
        held = list(_CURSORS)
    released = 0
    for other in held:
        if other.key != current and other.cursor is not None and other.lock.acquire(blocking=False):
            try:
                other.cursor.close()
                other.cursor = None
                released += 1
            finally:
                other.lock.release()
    return released


@contextlib.contextmanager
def query_cursor(held: SessionCursor) -> Iterator[duckdb.DuckDBPyConnection]:
    """The session's cursor under its lock; one closed as superseded since the run took it is
    opened again on its own snapshot, so a run's figures all come from one database version."""
    with held.lock:
        if held.cursor is None:
            held.cursor = session_cursor(snapshot(*held.key))
        yield held.cursor


_WARMED: dict[tuple, None] = {}  # (snapshot key, day) whose facts were asked to be built
_WARMED_LOCK = threading.Lock()


def warm_facts(day: date) -> None:
    """Build the day's facts of every inquiry in the background, once per snapshot and day, for the
    questions a page is likely to ask next: a search across every status reads them (0.6 s at a
    million inquiries), while the Inquiries page's first screen (open work) needs only some. Asked
    once the page is drawn, a search typed seconds later finds them kept, or waits for this build
    (api.FACTS: one build per key). Nothing is shown: a failure (the snapshot replaced by a load
    meanwhile) leaves the search to evaluate them itself."""
    db = db_path()
    key = (str(db), store.database_version(db), settings().fingerprint())
    with _WARMED_LOCK:
        if (key, day) in _WARMED:
            return
        _WARMED[(key, day)] = None
        while len(_WARMED) > 32:
            _WARMED.pop(next(iter(_WARMED)))
    parent = snapshot(*key)

    def build() -> None:
        try:
            cursor = session_cursor(parent)
            try:
                api.keep_facts(cursor, day)
            finally:
                cursor.close()
        except Exception:  # a warm-up only: the page's own query reports errors
            logging.getLogger("opsdash").debug("warming the facts failed", exc_info=True)

    threading.Thread(target=build, name="opsdash-warm-facts", daemon=True).start()


def session_connection() -> SessionCursor:
    """This session's cursor of the current snapshot (read it with query_cursor: a rerun may overlap
    the run it replaces; other sessions never wait for its lock)."""
    db = db_path()
    key = (str(db), store.database_version(db), settings().fingerprint())
    held = st.session_state.get("_opsdash_cursor")
    if held is None or held.key != key:
        held = SessionCursor(key, session_cursor(snapshot(*key)))
        st.session_state["_opsdash_cursor"] = held
        with _CURSORS_LOCK:
            _CURSORS.add(held)
        release_superseded(key)
    return held


def cached(fn: Callable[P, R], shared: bool = False, marked: bool = False) -> Callable[P, R]:
    """Wrap one pipelines query fn(con, *args) into a cached call fn(*args) on the session's cursor.

    shared=True keeps one result object for every session instead of a pickled copy per call (for
    large results that pages only read: unpickling thousands of rows on every rerun costs seconds).
    Results are also keyed by the office's marks: marked=True (lists that show done and snoozed
    items) by every mark, else by the not-an-inquiry marks only, so a mark shows at once.
    """

    def run(
        _session: SessionCursor,
        db: str,
        version: str,
        settings_key: str,
        marks_key: str,
        *args: object,
        **kwargs: object,
    ) -> R:
        # _session: not part of the cache key (Streamlit skips _-named arguments)
        with query_cursor(_session) as con:
            return fn(con, *args, **kwargs)

    # Streamlit keys a cache by the function's qualified name and code: give each wrapper its own.
    run.__qualname__ = f"cached.{fn.__module__}.{fn.__name__}"
    run.__name__ = fn.__name__
    if shared:
        run_cached = st.cache_resource(ttl=CACHE_SECONDS, show_spinner=False, max_entries=16)(run)
    else:
        run_cached = st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=256)(run)

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        db = db_path()
        marks_key = str(marks.version(db)) if marked else marks.excluded_ids(db)[1]
        return run_cached(
            session_connection(),
            str(db),
            store.database_version(db),
            settings().fingerprint(),
            marks_key,
            *args,
            **kwargs,
        )

    return call


# The queries the pages use, each cached per database version and settings.
keep_facts = cached(api.keep_facts)  # a page's as-of day, stored before its queries
report = cached(api.report, marked=True)
headline = cached(api.headline)
metrics_by = cached(api.metrics_by)
funnel = cached(api.funnel)
staff_time_by_status = cached(api.staff_time_by_status)
staff_performance = cached(api.staff_performance)
# read only, never modify them: the lists without customer details, and the details of the items
# a page shows (the details of every member cost more than the lists at a million inquiries)
staff_list_rows = cached(api.staff_list_rows, shared=True, marked=True)
list_details = cached(queries.list_details)
rule_trace = cached(api.rule_trace)
lists_of = cached(api.lists_of, marked=True)
what_if = cached(api.what_if)
inquiry_count = cached(queries.inquiry_count)
freshness = cached(queries.freshness)
loads = cached(queries.loads)
quarantine = cached(queries.quarantine)
orphans = cached(queries.orphans)
filter_options = cached(queries.filter_options)
search_inquiries = cached(queries.search_inquiries)
inquiry_detail = cached(queries.inquiry_detail)
inquiries_by_id = cached(queries.inquiries_by_id, marked=True)
events_of = cached(queries.events_of)


def day_label(day: date) -> str:
    """A date as people read it in the chosen language."""
    return day_text(day, lang())


def when(value: object) -> str:
    """A date-time as people read it in the chosen language ('' when blank)."""
    return when_text(value, lang())


def quarantine_reason(codes: object, columns: object, params: object) -> str:
    """A quarantined row's reason in the chosen language."""
    return quarantine_text(codes, columns, params, lang())


def pct(value: float | None) -> str:
    """A fraction as a percentage with one decimal, or a dash."""
    return "—" if value is None or value != value else f"{value * 100:.1f}%"


@st.cache_data(ttl=CACHE_SECONDS, max_entries=256, show_spinner=False)
def _chart_spec(name: str, args: tuple, kwargs: tuple, _build: Callable[..., Any]) -> dict:
    from streamlit import dataframe_util

    spec = _build(*args, **dict(kwargs)).to_dict(validate=False)
    # the datasets as the Arrow bytes st.vega_lite_chart would make of them on every run (it
    # passes bytes on as they are): converted once per spec
    for name_, values in spec.get("datasets", {}).items():
        if isinstance(values, list):
            spec["datasets"][name_] = dataframe_util.convert_anything_to_arrow_bytes(values)
    return spec


def draw_chart(build: Callable[..., Any], *args: object, **kwargs: object) -> None:
    """Draw a chart of pipelines.charts, full width; its Vega-Lite spec is built once per distinct
    input (building and validating the Altair charts took ~0.25 s of every Overview rerun), its
    data converted to Arrow once with it."""
    name = f"{build.__module__}.{build.__qualname__}"
    spec = _chart_spec(name, args, tuple(sorted(kwargs.items())), build)
    st.vega_lite_chart(spec=spec, width="stretch")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def who() -> str:
    """Who is using the dashboard, for the audit trail: the account's name, or 'local' without accounts."""
    account = current_user()
    return account.name if account is not None else "local"


def record(kind: str, detail: dict[str, object]) -> None:
    """Add a row to the audit trail as the person using the dashboard (pipelines.office.audit)."""
    audit.record(db_path(), who(), kind, detail)


def audited_download(build: Callable[[], bytes], what: str, rows: int) -> Callable[[], bytes]:
    """A download's builder that records who downloaded what and how many rows when it is pressed."""
    db, person = db_path(), who()

    def run() -> bytes:
        data = build()
        audit.record(db, person, "download", {"what": what, "rows": rows})
        return data

    return run


def download_csv(frame: pd.DataFrame, file_name: str, key: str) -> None:
    """Download buttons for a table: the one safe CSV writer, and beside it the same table as an
    .xlsx with typed cells for Excel (each written when pressed, each audited)."""
    from pipelines.xlsx import frame_xlsx

    left, right = st.columns(2)
    left.download_button(
        tr("common.download_csv"),
        audited_download(functools.partial(safe_csv, frame), file_name, len(frame)),
        file_name=file_name,
        mime="text/csv",
        key=key,
    )
    right.download_button(
        tr("common.download_xlsx"),
        audited_download(
            functools.partial(frame_xlsx, frame, Path(file_name).stem[:31]),
            str(Path(file_name).with_suffix(".xlsx")),
            len(frame),
        ),
        file_name=str(Path(file_name).with_suffix(".xlsx")),
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
    )


def has_data() -> bool:
    """Whether a database with inquiries is there to show."""
    return store.exists(db_path()) and inquiry_count() > 0


def empty_database_screen() -> bool:
    """Show the first-run screen when no inquiries are loaded; True when shown."""
    if has_data():
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
            result = pipelines.load_files(sample, db_path())
        record("load", {"files": [p.name for p in sample], "swapped": result.swapped})
        st.rerun()
    return True
