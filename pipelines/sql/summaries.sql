-- Per-inquiry summaries of the quote log, kept current at load time (pipelines.derived).
-- They do not depend on the settings or on A: a summary of every event of an inquiry is the same for
-- any as-of day on or after its last event, so inquiry_facts reads the stored summary for those and
-- summarises live only inquiries with events after A.

CREATE OR REPLACE TEMP MACRO is_customer_side(event) AS
    list_contains(getvariable('customer_side_events'), event);

-- The inquiries a load must summarise again (filled and emptied by pipelines.derived).
CREATE TEMP TABLE IF NOT EXISTS stale_summaries (inquiry_id VARCHAR);

-- One row per inquiry with events before `cutoff` (a timestamp): firsts, lasts, counts and money.
-- scope 'late': only inquiries whose stored summary has events at or after the cutoff (the facts for
-- an earlier as-of day); 'stale': only those in stale_summaries (a load). Only their events are read.
CREATE OR REPLACE TEMP MACRO event_summary(cutoff, scope) AS TABLE
WITH
ev AS (
    SELECT inquiry_id, event_at, event, staff_minutes, amount_jpy, staff, load_id
    FROM events
    WHERE event_at < cutoff AND inquiry_id IN (
        SELECT inquiry_id FROM event_summaries WHERE scope = 'late' AND last_event_at >= cutoff
        UNION ALL
        SELECT inquiry_id FROM stale_summaries WHERE scope = 'stale')
),
firsts AS (
    SELECT
        inquiry_id,
        min(event_at) FILTER (WHERE event = 'quote_sent')                      AS first_quote_at,
        arg_min(staff, event_at) FILTER (WHERE event = 'quote_sent')           AS first_quote_staff,
        min(event_at) FILTER (WHERE event = 'contract_signed')                 AS contract_at,
        -- the latest formal request or signature: a late request exists exactly when this one is late
        max(CAST(event_at AS DATE)) FILTER (WHERE event IN ('contract_requested', 'contract_signed'))
                                                                               AS last_request_date,
        min(CAST(event_at AS DATE)) FILTER (WHERE event = 'cancelled')         AS cancelled_date,
        min(CAST(event_at AS DATE)) FILTER (WHERE event = 'customer_declined') AS declined_date,
        count(*) FILTER (WHERE event = 'quote_sent')                           AS quotes_sent,
        coalesce(bool_or(event = 'customer_reply'), false)                     AS has_reply,
        coalesce(bool_or(event = 'contract_requested'), false)                 AS has_contract_request,
        CAST(sum(staff_minutes) AS BIGINT)                                     AS event_staff_minutes,
        count(*)                                                               AS events,
        max(event_at)                                                          AS last_event_at,
        max(load_id)                                                           AS max_load_id
    FROM ev
    GROUP BY inquiry_id
),
later AS (
    SELECT
        e.inquiry_id,
        -- Money: the latest quote at or before the contract (or the latest, without one)
        arg_max_null(e.amount_jpy, e.event_at) FILTER (
            WHERE e.event = 'quote_sent' AND (f.contract_at IS NULL OR e.event_at <= f.contract_at))
                                                                               AS quoted_amount_jpy,
        arg_max_null(e.staff, e.event_at) FILTER (
            WHERE e.event = 'quote_sent' AND (f.contract_at IS NULL OR e.event_at <= f.contract_at))
                                                                               AS latest_quote_staff,
        -- the customer's first and last contact after the first quote (silence is judged from these)
        min(e.event_at) FILTER (WHERE is_customer_side(e.event) AND e.event_at > f.first_quote_at)
                                                                               AS first_contact_after_quote_at,
        max(e.event_at) FILTER (WHERE is_customer_side(e.event) AND e.event_at > f.first_quote_at)
                                                                               AS last_customer_event_at
    FROM ev AS e
    JOIN firsts AS f USING (inquiry_id)
    GROUP BY e.inquiry_id
)
SELECT * FROM firsts LEFT JOIN later USING (inquiry_id);

-- Inquiries whose stored summary is missing or older than their newest event row.
CREATE OR REPLACE TEMP MACRO stale_event_summaries() AS TABLE
SELECT e.inquiry_id
FROM events AS e
LEFT JOIN event_summaries AS s USING (inquiry_id)
GROUP BY e.inquiry_id
HAVING max(e.load_id) > coalesce(any_value(s.max_load_id), -1);
