"""Tables derived from the loaded rows and kept current on every write: event summaries, message
readings, and the rules' per-inquiry base (``inquiry_base``, pipelines/sql/rules.sql).

``pipelines.build.rewrite`` calls ``refresh_derived`` after each load or upgrade, inside the same
all-or-nothing swap; summaries and readings are recomputed only for inquiries whose rows changed, the
base is rebuilt when either changed (a million inquiries: ~0.4 s).
"""

from __future__ import annotations

import duckdb

from pipelines.message_facts import refresh_message_readings
from pipelines.settings import Settings

# Far beyond any accepted date: a summary of every event.
ALL_EVENTS = "9999-12-31"


def refresh_event_summaries(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute the event summaries of inquiries with new event rows; returns how many."""
    con.execute("DELETE FROM stale_summaries")
    [(stale,)] = con.execute(
        "INSERT INTO stale_summaries SELECT inquiry_id FROM stale_event_summaries()"
    ).fetchall()
    if stale:
        con.execute(
            "DELETE FROM event_summaries WHERE inquiry_id IN (SELECT inquiry_id FROM stale_summaries)"
        )
        con.execute(
            "INSERT INTO event_summaries BY NAME "
            "SELECT * FROM event_summary(CAST(? AS TIMESTAMP), 'stale')",
            [ALL_EVENTS],
        )
    con.execute("DELETE FROM stale_summaries")
    return stale


def refresh_inquiry_base(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild inquiry_base from inquiries, message readings and event summaries (write connection)."""
    con.execute("DELETE FROM inquiry_base")
    con.execute("INSERT INTO inquiry_base BY NAME SELECT * FROM inquiry_base_rows()")


def refresh_derived(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """Bring every derived table up to date (write connection); True when anything changed.

    Any change of an inquiry row re-reads its message (its load changed), and any change of an event
    row re-summarises its inquiry, so those two counts tell whether the base must be rebuilt (or its
    size: a database just upgraded to schema 6 has an empty one).
    """
    summaries = refresh_event_summaries(con)
    readings = refresh_message_readings(con, settings)
    [(unbuilt,)] = con.execute(
        "SELECT (SELECT count(*) FROM inquiry_base) <> (SELECT count(*) FROM inquiries)"
    ).fetchall()
    if summaries or readings or unbuilt:
        refresh_inquiry_base(con)
    return bool(summaries or readings or unbuilt)
