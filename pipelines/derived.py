"""Tables derived from the loaded rows and kept current on every write: event summaries, message readings.

``pipelines.store.rewrite`` calls ``refresh_derived`` after each load or upgrade, inside the same
all-or-nothing swap; only inquiries whose rows changed are recomputed.
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


def refresh_derived(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """Bring every derived table up to date (write connection); True when anything changed."""
    summaries = refresh_event_summaries(con)
    readings = refresh_message_readings(con, settings)
    return bool(summaries or readings)
