"""A load must not leave the dashboard holding the old database version open (issue 25).

Each session queries through its own cursor of the current snapshot (views.common.SessionCursor).
Once a newer snapshot is in use, the cursors of idle sessions on older ones are closed: an open tab
nobody touches, or a closed one Streamlit keeps for two minutes, held the old version's DuckDB
instance (its threads and ~0.5 GB at a million inquiries) and the Overview's server CPU doubled
after a few loads. A session in the middle of a query keeps its cursor; one closed between taking it
and using it is opened again on its own snapshot, so a run reads one version throughout.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

import duckdb
import pytest

import pipelines
from pipelines.definitions import session_cursor
from views import common


@pytest.fixture
def snapshots(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, duckdb.DuckDBPyConnection]:
    """Two read-only connections of the sample standing for two database versions; the sessions of
    this test alone (pages run earlier in this process registered theirs too)."""
    monkeypatch.setattr(common, "_CURSORS", weakref.WeakSet())
    opened = {"v1": pipelines.connect(sample_db), "v2": pipelines.connect(sample_db)}
    monkeypatch.setattr(common, "snapshot", lambda db, version, settings_key: opened[version])
    yield opened
    for con in opened.values():
        con.close()


def held(snapshots: dict, version: str) -> common.SessionCursor:
    """A session's cursor on a version, registered as session_connection registers it."""
    cursor = common.SessionCursor(("db", version, "s"), session_cursor(snapshots[version]))
    with common._CURSORS_LOCK:
        common._CURSORS.add(cursor)
    return cursor


def test_idle_cursors_of_an_older_version_are_closed_and_busy_ones_kept(snapshots) -> None:
    idle, busy, current = held(snapshots, "v1"), held(snapshots, "v1"), held(snapshots, "v2")
    with busy.lock:  # this session is running a query
        assert common.release_superseded(("db", "v2", "s")) == 1
    assert idle.cursor is None
    assert busy.cursor is not None
    assert current.cursor is not None
    assert busy.cursor.execute("SELECT count(*) FROM inquiries").fetchone()[0] > 0
    assert common.release_superseded(("db", "v2", "s")) == 1  # the busy one, now idle
    assert busy.cursor is None


def test_a_cursor_closed_before_its_query_is_opened_again_on_its_own_version(snapshots) -> None:
    old = held(snapshots, "v1")
    held(snapshots, "v2")
    common.release_superseded(("db", "v2", "s"))
    assert old.cursor is None
    with common.query_cursor(old) as con:
        assert con.execute("SELECT count(*) FROM inquiries").fetchone()[0] > 0
    assert old.key == ("db", "v1", "s")


def test_a_closed_session_is_forgotten(snapshots) -> None:
    cursor = held(snapshots, "v1")
    before = len(common._CURSORS)
    del cursor
    assert len(common._CURSORS) == before - 1


def test_release_waits_for_nobody(snapshots) -> None:
    """Releasing never blocks on a session's lock: a long query elsewhere does not stall a page."""
    busy = held(snapshots, "v1")
    busy.lock.acquire()
    try:
        done = threading.Event()
        threading.Thread(
            target=lambda: (common.release_superseded(("db", "v2", "s")), done.set())
        ).start()
        assert done.wait(5)
    finally:
        busy.lock.release()
