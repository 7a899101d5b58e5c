-- Schema 3: per-inquiry summaries of the quote log (pipelines/sql/summaries.sql), kept current at load
-- time so that the rules read one row per inquiry instead of every event.
CREATE TABLE IF NOT EXISTS event_summaries (
    inquiry_id                   VARCHAR NOT NULL PRIMARY KEY,
    first_quote_at               TIMESTAMP,
    first_quote_staff            VARCHAR,
    contract_at                  TIMESTAMP,
    last_request_date            DATE,
    cancelled_date               DATE,
    declined_date                DATE,
    quotes_sent                  BIGINT NOT NULL,
    has_reply                    BOOLEAN NOT NULL,
    has_contract_request         BOOLEAN NOT NULL,
    event_staff_minutes          BIGINT,
    events                       BIGINT NOT NULL,
    last_event_at                TIMESTAMP NOT NULL,
    max_load_id                  INTEGER NOT NULL,  -- the newest load among its events
    quoted_amount_jpy            BIGINT,            -- latest quote at or before the contract
    latest_quote_staff           VARCHAR,
    first_contact_after_quote_at TIMESTAMP,
    last_customer_event_at       TIMESTAMP
);
