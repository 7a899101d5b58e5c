-- The business's acceptance rules and metrics, one definition each (see SPEC "Derived facts").
-- Settings arrive as variables (getvariable), set on every connection by pipelines.db.prepare.
-- Dates are Japan-time calendar dates; "end of A" is the start of the day after A.

-- Rule 1 / urgency: the message asks for the call now, today, tonight, tomorrow, in N hours …
-- Negated phrases ("急ぎではありません", "not urgent") are removed before the phrases are matched.
CREATE OR REPLACE TEMP MACRO urgent_text(message_norm) AS coalesce(regexp_matches(
    regexp_replace(message_norm, getvariable('negation_re'), ' ', 'g'),
    getvariable('urgent_re')
), false);

CREATE OR REPLACE TEMP MACRO is_customer_side(event) AS
    event IN ('customer_reply', 'contract_requested', 'contract_signed', 'customer_declined', 'cancelled');

CREATE OR REPLACE TEMP MACRO nonconverting_status(status) AS
    status IN ('declined_by_customer', 'rejected_urgent', 'rejected_late_request', 'silent', 'expired');

-- One row per inquiry received on or before A, with every derived fact, its status and reason codes
-- (customer details stay in `inquiries`; pipelines.inquiry_facts() joins them back for display).
CREATE OR REPLACE TEMP MACRO inquiry_facts(as_of) AS TABLE
WITH
params AS (
    SELECT
        CAST(as_of AS DATE)                                       AS as_of_date,
        CAST(CAST(as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP)   AS end_of_day,
        CAST(getvariable('min_lead_days') AS INTEGER)             AS min_lead_days,
        CAST(getvariable('silence_days') AS INTEGER)              AS silence_days,
        CAST(getvariable('quote_sla_business_days') AS INTEGER)   AS sla_days
),
inq AS (
    SELECT
        i.inquiry_id, i.received_at, i.requested_for, i.service, i.channel, i.message_norm,
        i.staff_minutes, i.customer_name, i.customer_address, i.target_phone,
        CAST(i.received_at AS DATE) AS received_date, CAST(i.requested_for AS DATE) AS requested_date
    FROM inquiries AS i, params AS p
    WHERE i.received_at < p.end_of_day
),
ev AS (
    SELECT e.inquiry_id, e.event_at, e.event, e.staff_minutes FROM events AS e, params AS p
    WHERE e.event_at < p.end_of_day
),
per_inquiry AS (
    SELECT
        inquiry_id,
        min(event_at) FILTER (WHERE event = 'quote_sent')       AS first_quote_at,
        min(event_at) FILTER (WHERE event = 'contract_signed')  AS contract_at,
        -- the latest formal request or signature: a late request exists exactly when this one is late
        max(CAST(event_at AS DATE)) FILTER (WHERE event IN ('contract_requested', 'contract_signed'))
                                                                AS last_request_date,
        count(*) FILTER (WHERE event = 'quote_sent')            AS quotes_sent,
        bool_or(event = 'customer_reply')                       AS has_reply,
        bool_or(event = 'contract_requested')                   AS has_contract_request,
        bool_or(event = 'cancelled')                            AS has_cancelled,
        bool_or(event = 'customer_declined')                    AS has_declined,
        sum(staff_minutes)                                      AS event_staff_minutes,
        count(*)                                                AS events
    FROM ev
    GROUP BY inquiry_id
),
after_quote AS (
    -- customer-side events after the first quote: within silence_days, or later
    SELECT
        e.inquiry_id,
        bool_or(e.event_at <= s.first_quote_at + to_days(p.silence_days)) AS contacted_after_quote,
        bool_or(e.event_at > s.first_quote_at + to_days(p.silence_days))  AS customer_event_after_silence
    FROM events AS e  -- not `ev`: a CTE read twice is materialized, reading the table streams
    JOIN per_inquiry AS s USING (inquiry_id)
    CROSS JOIN params AS p
    WHERE is_customer_side(e.event) AND e.event_at > s.first_quote_at AND e.event_at < p.end_of_day
    GROUP BY e.inquiry_id
),
facts AS (
    SELECT
        i.inquiry_id, i.received_at, i.received_date, i.requested_for, i.requested_date,
        i.service, i.channel,
        i.staff_minutes                                                      AS inquiry_staff_minutes,
        list_filter([
            CASE WHEN nullif(trim(i.customer_name), '') IS NULL THEN 'customer_name' END,
            CASE WHEN nullif(trim(i.customer_address), '') IS NULL THEN 'customer_address' END,
            CASE WHEN nullif(trim(i.target_phone), '') IS NULL THEN 'target_phone' END
        ], lambda f: f IS NOT NULL)                                          AS missing_fields,
        date_diff('day', i.received_date, i.requested_date)                  AS lead_days,
        -- CASE, not AND: the regular expression only runs where there is no requested date
        CASE WHEN i.requested_date IS NULL THEN urgent_text(i.message_norm) ELSE false END AS urgent_by_text,
        CASE WHEN i.requested_date IS NULL THEN urgent_text(i.message_norm)
             ELSE date_diff('day', i.received_date, i.requested_date) < p.min_lead_days
        END                                                                  AS urgent,
        s.first_quote_at,
        s.first_quote_at IS NOT NULL                                         AS quoted,
        coalesce(s.quotes_sent, 0)                                           AS quotes_sent,
        qd.business_day_index - rd.business_day_index                        AS quote_business_days,
        s.contract_at,
        s.contract_at IS NOT NULL                                            AS converted,
        coalesce(s.contract_at IS NOT NULL
                 AND date_diff('day', CAST(s.contract_at AS DATE), i.requested_date) < p.min_lead_days,
                 false)                                                      AS late_contract,
        s.contract_at IS NOT NULL
            AND (s.first_quote_at IS NULL OR s.first_quote_at > s.contract_at) AS no_prior_quote,
        coalesce(f.contacted_after_quote, false)                             AS contacted_after_quote,
        -- the quote is old enough to judge: first_quote_at + silence_days is before the end of A
        coalesce(s.first_quote_at + to_days(p.silence_days) < p.end_of_day, false) AS quote_judged,
        -- a contract_requested or contract_signed fewer than min_lead_days before the call
        coalesce(date_diff('day', s.last_request_date, i.requested_date) < p.min_lead_days, false) AS late_request,
        coalesce(f.customer_event_after_silence, false)                      AS customer_event_after_silence,
        coalesce(s.has_reply, false)                                         AS replied,
        coalesce(s.has_contract_request, false)                              AS contract_requested,
        coalesce(s.has_cancelled, false)                                     AS cancelled,
        coalesce(s.has_declined, false)                                      AS declined,
        CAST(i.staff_minutes + coalesce(s.event_staff_minutes, 0) AS BIGINT) AS staff_minutes,
        coalesce(s.events, 0)                                                AS events,
        p.min_lead_days, p.sla_days, p.as_of_date
    FROM inq AS i
    CROSS JOIN params AS p
    LEFT JOIN per_inquiry AS s USING (inquiry_id)
    LEFT JOIN after_quote AS f USING (inquiry_id)
    LEFT JOIN business_days AS rd ON rd.day = i.received_date
    LEFT JOIN business_days AS qd ON qd.day = CAST(s.first_quote_at AS DATE)
),
flagged AS (
    SELECT
        *,
        quoted AND quote_business_days <= sla_days                           AS quote_sla_met,
        quote_judged AND NOT contacted_after_quote                           AS silent
    FROM facts
),
statused AS (
    SELECT
        *,
        silent AND customer_event_after_silence                              AS returned_after_silence,
        CASE
            WHEN converted AND NOT cancelled AND NOT late_contract AND NOT no_prior_quote
                 AND len(missing_fields) = 0                                THEN 'contracted'
            WHEN converted AND NOT cancelled                                 THEN 'contracted_against_rules'
            WHEN cancelled                                                   THEN 'cancelled'
            WHEN declined                                                    THEN 'declined_by_customer'
            WHEN urgent                                                      THEN 'rejected_urgent'
            WHEN late_request                                                THEN 'rejected_late_request'
            WHEN silent                                                      THEN 'silent'
            WHEN date_diff('day', as_of_date, requested_date) < min_lead_days THEN 'expired'
            WHEN len(missing_fields) > 0                                     THEN 'incomplete'
            ELSE 'open'
        END                                                                  AS status
    FROM flagged
),
final AS (
    SELECT
        * EXCLUDE (min_lead_days, sla_days),
        nonconverting_status(status)                                         AS nonconverting,
        list_filter(CASE status
            WHEN 'contracted' THEN ['CONTRACT_SIGNED']
            WHEN 'contracted_against_rules' THEN [
                CASE WHEN late_contract THEN 'LEAD_TIME' END,
                CASE WHEN no_prior_quote THEN 'NO_PRIOR_QUOTE' END,
                CASE WHEN list_contains(missing_fields, 'customer_name') THEN 'MISSING_NAME' END,
                CASE WHEN list_contains(missing_fields, 'customer_address') THEN 'MISSING_ADDRESS' END,
                CASE WHEN list_contains(missing_fields, 'target_phone') THEN 'MISSING_TARGET_PHONE' END]
            WHEN 'cancelled' THEN ['CANCELLED']
            WHEN 'declined_by_customer' THEN ['DECLINED_BY_CUSTOMER']
            WHEN 'rejected_urgent' THEN [CASE WHEN urgent_by_text THEN 'URGENT_TEXT' ELSE 'LEAD_TIME' END]
            WHEN 'rejected_late_request' THEN [
                'LATE_REQUEST', CASE WHEN returned_after_silence THEN 'SILENT_AFTER_QUOTE' END]
            WHEN 'silent' THEN ['SILENT_AFTER_QUOTE']
            WHEN 'expired' THEN ['TOO_LATE_TO_CONTRACT']
            WHEN 'incomplete' THEN [
                CASE WHEN list_contains(missing_fields, 'customer_name') THEN 'MISSING_NAME' END,
                CASE WHEN list_contains(missing_fields, 'customer_address') THEN 'MISSING_ADDRESS' END,
                CASE WHEN list_contains(missing_fields, 'target_phone') THEN 'MISSING_TARGET_PHONE' END]
            ELSE [CASE WHEN quoted THEN 'AWAITING_CUSTOMER' ELSE 'AWAITING_QUOTE' END]
        END, lambda r: r IS NOT NULL)                                        AS reason_codes
    FROM statused
)
SELECT * FROM final;

-- The aggregates below read a table of inquiry_facts rows, named by their first argument `facts`:
--   CREATE TEMP TABLE facts AS SELECT * FROM inquiry_facts(DATE '2026-11-24');
--   SELECT * FROM period_metrics('facts', NULL, NULL, 'all');
-- so one evaluation of the rules serves a whole report (pipelines.api.facts_table does this).

-- Inquiries received in [start_date, end_date] (NULL start: from the beginning; NULL end: A).
CREATE OR REPLACE TEMP MACRO period_facts(facts, start_date, end_date) AS TABLE
SELECT * FROM query_table(facts)
WHERE (CAST(start_date AS DATE) IS NULL OR received_date >= CAST(start_date AS DATE))
  AND received_date <= coalesce(CAST(end_date AS DATE), as_of_date);

-- The headline metrics (SPEC "Headline metrics"), per period: unit 'all' gives one row for the whole
-- range; 'week' (Monday start) or 'month' one row per period, empty periods included.
CREATE OR REPLACE TEMP MACRO period_metrics(facts, start_date, end_date, unit) AS TABLE
WITH
facts AS (
    SELECT *, CASE WHEN unit <> 'all'
        THEN CAST(date_trunc(CASE WHEN unit = 'all' THEN 'day' ELSE unit END, received_date) AS DATE) END AS period_start
    FROM period_facts(facts, start_date, end_date)
),
bounds AS (SELECT min(period_start) AS lo, max(period_start) AS hi FROM facts),
periods AS (
    SELECT CAST(NULL AS DATE) AS period_start WHERE unit = 'all'
    UNION ALL
    SELECT CAST(unnest(generate_series(lo, hi,
        CASE WHEN unit = 'month' THEN INTERVAL 1 MONTH ELSE INTERVAL 7 DAY END)) AS DATE)
    FROM bounds WHERE unit <> 'all' AND lo IS NOT NULL
),
counted AS (
    SELECT
        p.period_start,
        count(f.inquiry_id)                                                   AS inquiries,
        count(f.inquiry_id) FILTER (WHERE f.quoted)                           AS quoted,
        count(f.inquiry_id) FILTER (WHERE f.converted)                        AS converted,
        count(f.inquiry_id) FILTER (WHERE f.quote_judged)                     AS judged_quotes,
        count(f.inquiry_id) FILTER (WHERE f.silent)                           AS silent,
        count(f.inquiry_id) FILTER (WHERE f.urgent)                           AS urgent_requests,
        count(f.inquiry_id) FILTER (WHERE f.nonconverting)                    AS nonconverting_inquiries,
        CAST(coalesce(sum(f.staff_minutes) FILTER (WHERE f.nonconverting), 0) AS BIGINT) AS staff_minutes_nonconverting,
        count(f.inquiry_id) FILTER (WHERE f.quote_sla_met)                    AS quote_sla_met,
        CAST(coalesce(sum(f.staff_minutes), 0) AS BIGINT)                     AS staff_minutes_total
    FROM periods AS p
    LEFT JOIN facts AS f ON f.period_start IS NOT DISTINCT FROM p.period_start
    GROUP BY p.period_start
),
final AS (
    SELECT
        *,
        converted / nullif(inquiries, 0)                                      AS conversion_rate,
        silent / nullif(judged_quotes, 0)                                     AS silent_after_quote_rate,
        urgent_requests / nullif(inquiries, 0)                                AS urgent_share,
        staff_minutes_nonconverting / nullif(nonconverting_inquiries, 0)      AS staff_minutes_per_nonconverting_inquiry,
        staff_minutes_nonconverting / nullif(nonconverting_inquiries, 0)
            * getvariable('hourly_cost_jpy') / 60                             AS staff_cost_jpy_per_nonconverting_inquiry,
        staff_minutes_nonconverting * getvariable('hourly_cost_jpy') / 60     AS staff_cost_jpy_nonconverting,
        quote_sla_met / nullif(quoted, 0)                                     AS quote_sla_rate
    FROM counted
)
SELECT * FROM final ORDER BY period_start;

-- Inquiries per status in the period.
CREATE OR REPLACE TEMP MACRO status_counts(facts, start_date, end_date) AS TABLE
SELECT status, count(*) AS inquiries
FROM period_facts(facts, start_date, end_date)
GROUP BY status ORDER BY inquiries DESC, status;

-- Where staff time goes: minutes and yen per non-converting status (SPEC: "split by status").
CREATE OR REPLACE TEMP MACRO staff_time_by_status(facts, start_date, end_date) AS TABLE
SELECT
    status,
    count(*)                                                      AS inquiries,
    CAST(sum(staff_minutes) AS BIGINT)                            AS staff_minutes,
    sum(staff_minutes) * getvariable('hourly_cost_jpy') / 60      AS staff_cost_jpy,
    sum(staff_minutes) / count(*)                                 AS staff_minutes_per_inquiry
FROM period_facts(facts, start_date, end_date)
WHERE nonconverting
GROUP BY status ORDER BY staff_minutes DESC, status;

-- The funnel: each step counts inquiries that reached it and every step before it.
CREATE OR REPLACE TEMP MACRO funnel(facts, start_date, end_date) AS TABLE
WITH reached AS (
    SELECT
        count(*)                                                             AS inquiries,
        count(*) FILTER (WHERE quoted)                                       AS quoted,
        count(*) FILTER (WHERE quoted AND (replied OR contract_requested OR converted)) AS customer_replied,
        count(*) FILTER (WHERE quoted AND (contract_requested OR converted)) AS contract_requested,
        count(*) FILTER (WHERE quoted AND converted)                         AS contracted
    FROM period_facts(facts, start_date, end_date)
),
steps AS (
    SELECT unnest([1, 2, 3, 4, 5]) AS step,
           unnest(['inquiries', 'quoted', 'customer_replied', 'contract_requested', 'contracted']) AS stage,
           unnest([inquiries, quoted, customer_replied, contract_requested, contracted]) AS inquiries
    FROM reached
)
SELECT
    step, stage, inquiries,
    inquiries / nullif(lag(inquiries) OVER (ORDER BY step), 0)      AS share_of_previous,
    inquiries / nullif(first_value(inquiries) OVER (ORDER BY step), 0) AS share_of_first
FROM steps ORDER BY step;

-- The staff's lists for day A, the facts' as_of_date (not limited by any period):
-- eligible (contracted, call today), attention (contracted against the rules, call today),
-- sign_by (open or incomplete, today is the last day to sign).
CREATE OR REPLACE TEMP MACRO staff_lists(facts) AS TABLE
SELECT
    CASE
        WHEN f.status = 'contracted' THEN 'eligible'
        WHEN f.status = 'contracted_against_rules' THEN 'attention'
        ELSE 'sign_by'
    END                                                          AS list,
    f.inquiry_id, i.customer_name, i.target_phone, f.requested_for, f.service, f.status,
    f.reason_codes, f.missing_fields, f.contract_at, f.first_quote_at, f.received_at, f.staff_minutes,
    f.requested_date - CAST(getvariable('min_lead_days') AS INTEGER) AS sign_by_date
FROM query_table(facts) AS f
JOIN inquiries AS i USING (inquiry_id)
WHERE (f.status IN ('contracted', 'contracted_against_rules') AND f.requested_date = f.as_of_date)
   OR (f.status IN ('open', 'incomplete')
       AND f.requested_date - CAST(getvariable('min_lead_days') AS INTEGER) = f.as_of_date)
ORDER BY list, f.requested_for, f.inquiry_id;

-- Quote-log events whose inquiry is not loaded (yet).
CREATE OR REPLACE TEMP VIEW orphan_events AS
SELECT e.* FROM events AS e
WHERE NOT EXISTS (SELECT 1 FROM inquiries AS i WHERE i.inquiry_id = e.inquiry_id);
