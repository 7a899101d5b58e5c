-- Raw layer: what the exports said, typed. One row per inquiry; one row per quote-log event.
-- Created by the loader only (readers never write). All times are Japan time (Asia/Tokyo), naive.

CREATE TABLE IF NOT EXISTS inquiries (
    inquiry_id       VARCHAR   NOT NULL,  -- the business's inquiry number, unique
    received_at      TIMESTAMP NOT NULL,  -- when the inquiry arrived, Japan time
    customer_name    VARCHAR,
    customer_address VARCHAR,
    customer_email   VARCHAR,
    target_phone     VARCHAR,             -- the number staff are to call
    requested_for    TIMESTAMP,           -- requested call date (midnight when given as a date)
    service          VARCHAR,
    message          VARCHAR,             -- as written by the customer
    message_norm     VARCHAR,             -- NFKC + lower case, what the urgency rule reads
    channel          VARCHAR,
    staff_minutes    INTEGER   NOT NULL,  -- minutes of staff time on the inquiry itself, >= 0
    load_id          INTEGER   NOT NULL,
    source_file      VARCHAR   NOT NULL,
    source_line      BIGINT    NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    inquiry_id    VARCHAR   NOT NULL,
    event_at      TIMESTAMP NOT NULL,     -- Japan time
    event         VARCHAR   NOT NULL,     -- canonical event kind
    amount_jpy    BIGINT,                 -- quoted amount in yen
    staff         VARCHAR,
    staff_minutes INTEGER   NOT NULL,     -- minutes of staff time on this event, >= 0
    note          VARCHAR,
    event_key     HUGEINT   NOT NULL,     -- md5 (127 bits) of: inquiry, instant, kind, amount, staff, minutes
    load_id       INTEGER   NOT NULL,
    source_file   VARCHAR   NOT NULL,
    source_line   BIGINT    NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    load_id     INTEGER NOT NULL,
    file_name   VARCHAR NOT NULL,
    sheet       VARCHAR,                  -- .xlsx sheet, NULL for CSV
    line        BIGINT,                   -- physical line (CSV) or row number (xlsx) where the row starts
    raw         VARCHAR,                  -- the row as it was in the file
    column_name VARCHAR,                  -- the column(s) at fault, when one is
    reason      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS loads (
    load_id          INTEGER NOT NULL,
    file_name        VARCHAR NOT NULL,
    sheet            VARCHAR,
    file_hash        VARCHAR NOT NULL,    -- sha256 of the file's bytes
    kind             VARCHAR NOT NULL,    -- 'inquiries' or 'events'
    encoding         VARCHAR NOT NULL,
    rows_read        BIGINT  NOT NULL,    -- data rows in the file (blank lines are not rows)
    rows_loaded      BIGINT  NOT NULL,
    rows_replaced    BIGINT  NOT NULL,    -- of rows_loaded, inquiries that replaced an earlier row
    rows_duplicate   BIGINT  NOT NULL,    -- identical events / repeated ids skipped
    rows_quarantined BIGINT  NOT NULL,
    orphan_events    BIGINT  NOT NULL,    -- loaded events whose inquiry is not loaded (yet)
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS event_kinds (
    spelling VARCHAR NOT NULL,            -- folded spelling (NFKC, lower case, no spaces)
    event    VARCHAR NOT NULL             -- canonical kind
);
