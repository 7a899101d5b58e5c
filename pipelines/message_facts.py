"""Message readings kept current in the database: read once at load time, re-read when words change.

The message text does not change with the as-of date, so ``pipelines.message_reader`` reads each
inquiry's message once, when it is loaded, and the table ``message_readings`` keeps what it found
(the day named for the call, whether it asks for the call now, the words that said so, requested staff
attributes) with the fingerprint of the office's words and the reader's version. Only the comparison
with min_lead_days happens at query time (``inquiry_facts``), so a what-if on min_lead_days needs no
re-reading. When the words in the settings or the reader change, the readings are stale and are
recomputed the next time the database is written or opened (see ``pipelines.build``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.message_reader.words import READER_VERSION
from pipelines.reader_words import ReaderWords, words_from_table
from pipelines.settings import Settings, SettingsError

# the reader itself (Sudachi, its rules) and Arrow load when messages are read (a write), not when
# a read connection checks that its readings are current (stale_readings)
if TYPE_CHECKING:
    import duckdb


def reader_words(settings: Settings) -> ReaderWords:
    """The reader's words from the [message] table of the settings (validated)."""
    try:
        return words_from_table(settings.table("message"), "settings")
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def stale_readings(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """How many inquiries lack a reading made with these words and this reader version (0: current).

    Every write refreshes the readings of the inquiries it changed in the same swap
    (``refresh_message_readings``), so in a stored database only the words or the reader can have
    changed, and comparing counts suffices — a million-row join on every connect would not.
    """
    words = reader_words(settings)
    return con.execute(
        """
        SELECT abs((SELECT count(*) FROM inquiries)
                   - (SELECT count(*) FROM message_readings
                      WHERE words_fingerprint = ? AND reader_version = ?))
        """,
        [words.fingerprint(), READER_VERSION],
    ).fetchone()[0]


def refresh_message_readings(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Read every message whose reading is missing or stale (write connection); returns how many."""
    from pipelines.message_reader import prefilter_pattern

    words = reader_words(settings)
    fingerprint = words.fingerprint()
    con.execute(
        """
        DELETE FROM message_readings AS r
        WHERE r.words_fingerprint <> ? OR r.reader_version <> ?
           OR NOT EXISTS (SELECT 1 FROM inquiries AS i
                          WHERE i.inquiry_id = r.inquiry_id AND i.load_id = r.source_load_id)
        """,
        [fingerprint, READER_VERSION],
    )
    # Messages with no candidate word (most of them) read as empty readings, decided in SQL; only
    # the rest go through the reader (pipelines.message_reader.prefilter_pattern).
    [(empty,)] = con.execute(
        """
        INSERT INTO message_readings BY NAME
        SELECT i.inquiry_id, NULL AS message_date, false AS asap, NULL AS urgent_evidence,
               []::VARCHAR[] AS staff_attributes, ? AS words_fingerprint, ? AS reader_version,
               i.load_id AS source_load_id
        FROM inquiries AS i
        WHERE NOT EXISTS (SELECT 1 FROM message_readings AS r WHERE r.inquiry_id = i.inquiry_id)
          AND NOT coalesce(regexp_matches(i.message_norm, ?), false)
        """,
        [fingerprint, READER_VERSION, prefilter_pattern(words)],
    ).fetchall()
    # Arrow in and out: one Python object per row only where the reader needs it (texts, times).
    todo = con.sql(
        """
        SELECT i.inquiry_id, i.message, i.received_at FROM inquiries AS i
        WHERE NOT EXISTS (SELECT 1 FROM message_readings AS r WHERE r.inquiry_id = i.inquiry_id)
        """
    ).to_arrow_table()
    if todo.num_rows == 0:
        return empty
    _read_and_store(con, todo, words)
    return empty + todo.num_rows


def _read_and_store(con: duckdb.DuckDBPyConnection, todo: object, words: ReaderWords) -> None:
    """Read the messages of todo (an Arrow table: inquiry_id, message, received_at) and store their
    readings; the reader and Arrow load here, when there are messages to read."""
    import pyarrow as pa

    from pipelines.message_reader.parallel import read_many_parallel

    # many messages: read on every core (the same readings as read_many)
    readings = read_many_parallel(
        todo.column("message").to_pylist(), todo.column("received_at").to_pylist(), words
    )
    read = pa.table(  # noqa: F841 - read by name below
        {
            "inquiry_id": todo.column("inquiry_id"),
            "message_date": pa.array([r.message_date for r in readings], pa.date32()),
            "asap": pa.array([r.asap for r in readings], pa.bool_()),
            "urgent_evidence": pa.array([r.urgent_evidence for r in readings], pa.string()),
            "staff_attributes": pa.array(
                [r.staff_attributes for r in readings], pa.list_(pa.string())
            ),
        }
    )
    con.execute(
        "INSERT INTO message_readings BY NAME "
        "SELECT r.*, ? AS words_fingerprint, ? AS reader_version, i.load_id AS source_load_id "
        "FROM read AS r JOIN inquiries AS i USING (inquiry_id)",
        [words.fingerprint(), READER_VERSION],
    )
