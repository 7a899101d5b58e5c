-- Schema 6: one row per inquiry with what the rules read that depends neither on the as-of day nor on
-- the settings (pipelines/sql/rules.sql inquiry_base_rows): derived data, filled by pipelines.derived in
-- the same write as this step and rebuilt whenever inquiries, events or message readings change.
CREATE TABLE IF NOT EXISTS inquiry_base (
    inquiry_id       VARCHAR   NOT NULL,
    received_at      TIMESTAMP NOT NULL,
    received_date    DATE      NOT NULL,
    requested_for    TIMESTAMP,
    requested_date   DATE,
    service          VARCHAR,
    channel          VARCHAR,
    staff_minutes    INTEGER   NOT NULL,
    missing_fields   VARCHAR[] NOT NULL,  -- Rule 5: customer_name, customer_address, target_phone
    message_date     DATE,
    message_asap     BOOLEAN   NOT NULL,
    message_evidence VARCHAR,
    staff_attributes VARCHAR[],
    last_event_at    TIMESTAMP,
    s STRUCT(                            -- its row of event_summaries; NULL without events
        inquiry_id                   VARCHAR,
        first_quote_at               TIMESTAMP,
        first_quote_staff            VARCHAR,
        contract_at                  TIMESTAMP,
        last_request_date            DATE,
        cancelled_date               DATE,
        declined_date                DATE,
        quotes_sent                  BIGINT,
        has_reply                    BOOLEAN,
        has_contract_request         BOOLEAN,
        event_staff_minutes          BIGINT,
        events                       BIGINT,
        last_event_at                TIMESTAMP,
        max_load_id                  INTEGER,
        quoted_amount_jpy            BIGINT,
        latest_quote_staff           VARCHAR,
        first_contact_after_quote_at TIMESTAMP,
        last_customer_event_at       TIMESTAMP
    )
);
