-- Schema 2: what the message reader found in each inquiry's message, computed once at load time
-- (pipelines.message_facts), with the fingerprint of the words and the reader's version it was read
-- with, so a change of either is noticed and the readings recomputed.
CREATE TABLE IF NOT EXISTS message_readings (
    inquiry_id        VARCHAR NOT NULL PRIMARY KEY,
    message_date      DATE,       -- the day the message names for the call (Japan time), if any
    asap              BOOLEAN NOT NULL,  -- asks for the call now / within hours / 至急, naming no later day
    urgent_evidence   VARCHAR,    -- the words that made it urgent or named the day, as written
    staff_attributes  VARCHAR[],  -- requested staff attributes (低い声の男性, 女性スタッフ, …)
    words_fingerprint VARCHAR NOT NULL,
    reader_version    VARCHAR NOT NULL,
    source_load_id    INTEGER NOT NULL   -- the load of the inquiry row that was read
);

-- Quarantine reasons carry a code too, so people read them in their own language.
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS reason_code VARCHAR;
