-- The business's acceptance rules and metrics, one definition each (see SPEC "Derived facts").
-- Settings arrive as a parameter: `cfg`, the STRUCT of pipelines.settings.Settings.sql_struct(), given
-- to inquiry_facts and carried on every row of the facts as `settings` for the aggregates that read
-- them. The vocabulary arrives as variables (getvariable), set on every connection by
-- pipelines.definitions.prepare; business_days holds one calendar per closed_days (`calendar`).
-- Dates are Japan-time calendar dates; "end of A" is the start of the day after A.

-- Inquiries the office marked "not an inquiry" (spam, duplicates, tests, its own mail): left out of
-- every figure, list and report as if never received. Filled from the office store by
-- pipelines.evaluation.evaluated (a parameter table, never text in the SQL); empty without marks.
CREATE TEMP TABLE IF NOT EXISTS office_excluded (inquiry_id VARCHAR);
-- Done marks in force: the item of `list` was handled on `day`, when the inquiry's latest event was
-- `seen` (NULL: it had none). Snoozes: off every list on the days before `until`.
CREATE TEMP TABLE IF NOT EXISTS office_done (inquiry_id VARCHAR, list VARCHAR, day DATE, seen TIMESTAMP);
CREATE TEMP TABLE IF NOT EXISTS office_snoozed (inquiry_id VARCHAR, until DATE);

CREATE OR REPLACE TEMP MACRO nonconverting_status(status) AS
    list_contains(getvariable('nonconverting_statuses'), status);

-- Rule 5: a value is blank when nothing but white space (any kind: spaces, U+3000, tabs, line
-- breaks) and zero-width characters is left.
CREATE OR REPLACE TEMP MACRO is_blank(s) AS
    coalesce(regexp_full_match(s, '[\s\x{0B}\x{85}\p{Z}\x{200B}-\x{200D}\x{2060}\x{FEFF}]*'), true);

-- A first quote is old enough to judge (silent or answered, SPEC `silent`) when first_quote_at +
-- silence_days is before the end of A, `end_of_day`; never without a quote.
CREATE OR REPLACE TEMP MACRO quote_judged_by(first_quote_at, silence_days, end_of_day) AS
    coalesce(first_quote_at + to_days(silence_days) < end_of_day, false);

-- One row per inquiry with what the rules read that depends neither on A nor on the settings: its own
-- columns, Rule 5's missing fields, what the message reader found at load time
-- (pipelines.message_facts), and the summary of its whole quote log `s` (a struct of an
-- event_summaries row; NULL without events). Stored as the table inquiry_base by every write that
-- changes the data (pipelines.derived), so that evaluating the rules joins nothing per inquiry.
CREATE OR REPLACE TEMP MACRO inquiry_base_rows() AS TABLE
SELECT
    i.inquiry_id, i.received_at, CAST(i.received_at AS DATE) AS received_date, i.requested_for,
    CAST(i.requested_for AS DATE) AS requested_date, i.service, i.channel, i.staff_minutes,
    list_filter([
        CASE WHEN is_blank(i.customer_name) THEN 'customer_name' END,
        CASE WHEN is_blank(i.customer_address) THEN 'customer_address' END,
        CASE WHEN is_blank(i.target_phone) THEN 'target_phone' END
    ], lambda f: f IS NOT NULL)                                              AS missing_fields,
    r.message_date, coalesce(r.asap, false) AS message_asap, r.urgent_evidence AS message_evidence,
    r.staff_attributes,
    e.last_event_at,
    CASE WHEN e.inquiry_id IS NOT NULL THEN e END                            AS s
FROM inquiries AS i
LEFT JOIN message_readings AS r ON r.inquiry_id = i.inquiry_id
LEFT JOIN event_summaries AS e ON e.inquiry_id = i.inquiry_id;

-- One row per inquiry received on or before A, with every derived fact, its status and reason codes
-- (customer details stay in `inquiries`; pipelines.inquiry_facts() joins them back for display), under
-- the settings `cfg`. `known_at` (a day K <= A; default A) cuts the data off at the end of K while the
-- rules are judged as of A: the facts for day A as they were known at K (the digest's lists for N,
-- known at A: docs/metrics.md "The digest's lists for N"). Inquiries and events after K are ignored.
-- Two flags leave out, before any rule is evaluated, inquiries that cannot matter to a question
-- (the rows kept are the same as without them):
--   open_only  only those that can be open or incomplete on A: not expired (no requested date, or
--              at least min_lead_days after A);
--   listable   only those that can be on a staff list of A (staff_list_members): those requested
--              for A or later (the open ones, eligible, attention, upcoming), those without a
--              requested date whose first quote, as of K, is not yet old enough to judge (quote_due,
--              follow_up), and those received or last requested within refusal_days business days
--              of A (refusals).
-- At a million inquiries `listable` keeps about a thirtieth: most inquiries are long decided. Its
-- first test reads a few columns of every inquiry; the quote's age, which needs the quote log as
-- of K, is tested after on the fifth that passes.
CREATE OR REPLACE TEMP MACRO inquiry_facts(
    as_of, cfg, known_at := NULL, open_only := false, listable := false
) AS TABLE
WITH
params AS (
    SELECT
        CAST(as_of AS DATE)                                       AS as_of_date,
        CAST(CAST(as_of AS DATE) + INTERVAL 1 DAY AS TIMESTAMP)   AS end_of_day,
        CAST(least(CAST(coalesce(known_at, as_of) AS DATE), CAST(as_of AS DATE)) AS DATE)
                                                                  AS known_date,
        CAST(least(CAST(coalesce(known_at, as_of) AS DATE), CAST(as_of AS DATE)) + INTERVAL 1 DAY
             AS TIMESTAMP)                                        AS known_end,
        CAST((cfg).min_lead_days AS INTEGER)                      AS min_lead_days,
        CAST((cfg).silence_days AS INTEGER)                       AS silence_days,
        CAST((cfg).quote_sla_business_days AS INTEGER)            AS sla_days,
        CAST((cfg).urgent_by_message AS BOOLEAN)                  AS urgent_by_message,
        cfg                                                       AS settings,
        -- the first day a refusal can have been decided to be on A's list (NULL: unknown, keep all)
        (SELECT min(d.day) FROM business_days AS d, business_days AS a
         WHERE d.calendar = (cfg).calendar AND a.calendar = (cfg).calendar
           AND a.day = CAST(as_of AS DATE)
           AND d.business_day_index > a.business_day_index - CAST((cfg).refusal_days AS INTEGER))
                                                                  AS refusal_from
),
late AS (
    -- inquiries with events after the end of K (an earlier as-of day): their quote log summarised
    -- live from the events before it (no row: no event before it)
    SELECT l.inquiry_id, l AS s FROM event_summary((SELECT known_end FROM params), 'late') AS l
),
inq AS (
    -- the stored summary when every event of the inquiry is before the end of K (almost always)
    -- The requested date (SPEC "The requested date"): requested_for when given, else the day the
    -- message names (message_date) -- unless urgent_by_message is off: then the rules read nothing
    -- from the message and the requested date is requested_for alone (docs/metrics.md).
    SELECT b.* REPLACE (
               CASE WHEN b.last_event_at >= p.known_end THEN l.s ELSE b.s END AS s,
               coalesce(b.requested_date, CASE WHEN p.urgent_by_message THEN b.message_date END)
                   AS requested_date),
           b.requested_date IS NULL AND p.urgent_by_message AND b.message_date IS NOT NULL
               AS requested_date_from_message,
           listable AND (p.refusal_from IS NULL OR b.received_date >= p.refusal_from
                         OR b.s.last_request_date >= p.refusal_from) AS refusal_candidate
    FROM inquiry_base AS b
    CROSS JOIN params AS p
    LEFT JOIN late AS l ON l.inquiry_id = b.inquiry_id
    WHERE b.received_at < p.known_end
      AND b.inquiry_id NOT IN (SELECT x.inquiry_id FROM office_excluded AS x)
      AND (NOT (open_only OR listable)
           OR coalesce(b.requested_date, CASE WHEN p.urgent_by_message THEN b.message_date END) IS NULL
           OR date_diff('day', p.as_of_date,
                        coalesce(b.requested_date, CASE WHEN p.urgent_by_message THEN b.message_date END))
              >= CASE WHEN open_only THEN p.min_lead_days ELSE 0 END
           OR refusal_candidate)
),
scoped AS (
    -- listable, on the quote log as of K: an inquiry without a requested date whose first quote is
    -- old enough to judge can be on no list but refusals (quote_due wants no quote, follow_up a
    -- quote not yet judged, the other lists a requested date): at a million inquiries ~90k of the
    -- ~125k the first test keeps
    SELECT i.* FROM inq AS i CROSS JOIN params AS p
    WHERE NOT listable OR i.requested_date IS NOT NULL OR i.refusal_candidate
       OR NOT quote_judged_by(i.s.first_quote_at, p.silence_days, p.end_of_day)
),
facts AS (
    SELECT
        i.inquiry_id, i.received_at, i.received_date, i.requested_for, i.requested_date,
        i.requested_date_from_message, i.service, i.channel,
        i.staff_minutes                                                      AS inquiry_staff_minutes,
        i.missing_fields,
        date_diff('day', i.received_date, i.requested_date)                  AS lead_days,
        -- Rule 1 by the message, where requested_for is blank: it asks for the call now (with or
        -- without a day), or names a day fewer than min_lead_days after the inquiry (SPEC `urgent`)
        CASE WHEN i.requested_for IS NULL AND p.urgent_by_message
                  AND (i.message_asap
                       OR date_diff('day', i.received_date, i.message_date) < p.min_lead_days)
             THEN i.message_evidence END                                     AS urgent_evidence,
        i.message_date,
        i.message_evidence,
        i.staff_attributes,
        s.first_quote_at,
        s.first_quote_at IS NOT NULL                                         AS quoted,
        coalesce(s.quotes_sent, 0)                                           AS quotes_sent,
        s.first_quote_staff,
        s.quoted_amount_jpy,
        s.latest_quote_staff,
        -- business days d with received < d <= quote date; never negative (a quote dated before its
        -- inquiry counts as same-day)
        CASE WHEN s.first_quote_at IS NOT NULL
             THEN greatest(qd.business_day_index - rd.business_day_index, 0) END AS quote_business_days,
        due.day                                                              AS quote_due_date,
        s.contract_at,
        s.contract_at IS NOT NULL                                            AS converted,
        coalesce(s.contract_at IS NOT NULL
                 AND date_diff('day', CAST(s.contract_at AS DATE), i.requested_date) < p.min_lead_days,
                 false)                                                      AS late_contract,
        s.contract_at IS NOT NULL
            AND (s.first_quote_at IS NULL OR s.first_quote_at > s.contract_at) AS no_prior_quote,
        -- customer-side contact within silence_days of the first quote (SPEC contacted_after_quote)
        coalesce(s.first_contact_after_quote_at <= s.first_quote_at + to_days(p.silence_days), false)
                                                                             AS contacted_after_quote,
        s.first_contact_after_quote_at,
        CAST(s.first_quote_at AS DATE) + p.silence_days                      AS silent_after_date,
        -- the quote is old enough to judge: first_quote_at + silence_days is before the end of A
        quote_judged_by(s.first_quote_at, p.silence_days, p.end_of_day)       AS quote_judged,
        s.last_request_date,
        -- a contract_requested or contract_signed fewer than min_lead_days before the call
        coalesce(date_diff('day', s.last_request_date, i.requested_date) < p.min_lead_days, false) AS late_request,
        coalesce(s.last_customer_event_at > s.first_quote_at + to_days(p.silence_days), false)
                                                                             AS customer_event_after_silence,
        coalesce(s.has_reply, false)                                         AS replied,
        coalesce(s.has_contract_request, false)                              AS contract_requested,
        s.cancelled_date IS NOT NULL                                         AS cancelled,
        s.cancelled_date,
        s.declined_date IS NOT NULL                                          AS declined,
        s.declined_date,
        i.requested_date - p.min_lead_days                                   AS sign_by_date,
        CAST(i.staff_minutes + coalesce(s.event_staff_minutes, 0) AS BIGINT) AS staff_minutes,
        coalesce(s.events, 0)                                                AS events,
        p.min_lead_days, p.sla_days, p.as_of_date, p.known_date, p.settings
    FROM scoped AS i
    CROSS JOIN params AS p
    LEFT JOIN business_days AS rd
           ON rd.calendar = p.settings.calendar AND rd.day = i.received_date
    LEFT JOIN business_days AS qd
           ON qd.calendar = p.settings.calendar AND qd.day = CAST(s.first_quote_at AS DATE)
    -- the quote is due on the sla_days-th business day after the received date; with sla_days = 0
    -- on the received date when that is a business day, else on the next one (never before it)
    LEFT JOIN business_days AS due
           ON due.calendar = p.settings.calendar AND due.is_business_day
          AND due.business_day_index = rd.business_day_index
              + greatest(p.sla_days, CASE WHEN rd.is_business_day THEN 0 ELSE 1 END)
),
flagged AS (
    SELECT
        *,
        urgent_evidence IS NOT NULL                                          AS urgent_by_text,
        coalesce(lead_days < min_lead_days, false) OR urgent_evidence IS NOT NULL AS urgent,
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
                CASE WHEN late_contract THEN 'LATE_CONTRACT' END,
                CASE WHEN no_prior_quote THEN 'NO_PRIOR_QUOTE' END,
                CASE WHEN list_contains(missing_fields, 'customer_name') THEN 'MISSING_NAME' END,
                CASE WHEN list_contains(missing_fields, 'customer_address') THEN 'MISSING_ADDRESS' END,
                CASE WHEN list_contains(missing_fields, 'target_phone') THEN 'MISSING_TARGET_PHONE' END]
            WHEN 'cancelled' THEN ['CANCELLED']
            WHEN 'declined_by_customer' THEN ['DECLINED_BY_CUSTOMER']
            WHEN 'rejected_urgent' THEN [CASE WHEN urgent_evidence IS NULL THEN 'SHORT_NOTICE' ELSE 'URGENT_TEXT' END]
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
--   CREATE TEMP TABLE facts AS SELECT * FROM inquiry_facts(DATE '2026-11-24', $cfg);
--   SELECT * FROM period_metrics('facts', NULL, NULL, 'all');
-- so one evaluation of the rules serves a whole report (pipelines.evaluation.evaluated does this).

-- Whether an inquiry received on received_date is in the period [start_date, end_date] of day A
-- (NULL start: from the beginning; NULL end: A).
CREATE OR REPLACE TEMP MACRO in_period(received_date, as_of_date, start_date, end_date) AS
    (CAST(start_date AS DATE) IS NULL OR received_date >= CAST(start_date AS DATE))
    AND received_date <= coalesce(CAST(end_date AS DATE), as_of_date);

-- Inquiries received in the period.
CREATE OR REPLACE TEMP MACRO period_facts(facts, start_date, end_date) AS TABLE
SELECT * FROM query_table(facts) WHERE in_period(received_date, as_of_date, start_date, end_date);

-- Every fact a question about one period reads: the period's inquiries (period_facts) and every
-- contract up to A (period_metrics' `mature` reads them all). A page asking many questions of one
-- period keeps these instead of every inquiry's facts (pipelines.evaluation.keep_facts): at a
-- million inquiries a 90-day period and the contracts are 28 % of the facts.
CREATE OR REPLACE TEMP MACRO period_question_facts(as_of, cfg, start_date, end_date) AS TABLE
SELECT * FROM inquiry_facts(as_of, cfg)
WHERE converted OR in_period(received_date, as_of_date, start_date, end_date);

-- The headline metrics (SPEC "Headline metrics", "Money and people"), per period: unit 'all' gives one
-- row for the whole range; 'day', 'week' (Monday start) or 'month' one row per period, empty periods
-- included.
-- A period is `mature` (its conversion rate and money are final) when at most 5 % of its inquiries are
-- still open or incomplete, or when its last day lies further back than the time in which 95 % of all
-- contracts so far were signed: the few left open by then are dormant, not pending
-- (docs/metrics.md, "Fair comparisons").
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
        CASE unit WHEN 'month' THEN INTERVAL 1 MONTH WHEN 'day' THEN INTERVAL 1 DAY
                  ELSE INTERVAL 7 DAY END)) AS DATE)
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
        CAST(coalesce(sum(f.staff_minutes), 0) AS BIGINT)                     AS staff_minutes_total,
        count(f.inquiry_id) FILTER (WHERE f.status IN ('open', 'incomplete'))  AS unsettled_inquiries,
        CAST(coalesce(sum(f.quoted_amount_jpy) FILTER (
            WHERE f.status IN ('contracted', 'contracted_against_rules')), 0) AS BIGINT) AS contracted_amount_jpy,
        avg(f.quoted_amount_jpy)                                              AS average_quote_jpy,
        min(f.received_date)                                                  AS first_received_date,
        max(f.received_date)                                                  AS last_received_date
    FROM periods AS p
    LEFT JOIN facts AS f ON f.period_start IS NOT DISTINCT FROM p.period_start
    GROUP BY p.period_start
),
cfg AS (  -- the settings the facts were evaluated under, the same on every row (no facts: no cost);
          -- one row read, not a whole evaluation of the facts
    SELECT coalesce((SELECT settings.hourly_cost_jpy FROM query_table(facts) LIMIT 1), 0) AS hourly_cost_jpy
),
settle AS (  -- days from inquiry to contract within which 95 % of all contracts up to A were signed
    SELECT quantile_cont(date_diff('day', received_date, CAST(contract_at AS DATE)), 0.95) AS days,
           max(as_of_date) AS as_of_date
    FROM period_facts(facts, NULL, NULL) WHERE converted
),
final AS (
    SELECT
        c.*,
        converted / nullif(inquiries, 0)                                      AS conversion_rate,
        silent / nullif(judged_quotes, 0)                                     AS silent_after_quote_rate,
        urgent_requests / nullif(inquiries, 0)                                AS urgent_share,
        staff_minutes_nonconverting / nullif(nonconverting_inquiries, 0)      AS staff_minutes_per_nonconverting_inquiry,
        staff_minutes_nonconverting / nullif(nonconverting_inquiries, 0)
            * k.hourly_cost_jpy / 60                                          AS staff_cost_jpy_per_nonconverting_inquiry,
        staff_minutes_nonconverting * k.hourly_cost_jpy / 60                  AS staff_cost_jpy_nonconverting,
        quote_sla_met / nullif(quoted, 0)                                     AS quote_sla_rate,
        unsettled_inquiries <= 0.05 * inquiries
            OR coalesce(date_diff('day', least(
                   CASE unit WHEN 'week' THEN c.period_start + 6 WHEN 'day' THEN c.period_start
                             WHEN 'month' THEN CAST(c.period_start + INTERVAL 1 MONTH AS DATE) - 1 END,
                   coalesce(CAST(end_date AS DATE), s.as_of_date)), s.as_of_date) > s.days, false)
                                                                              AS mature
    FROM counted AS c CROSS JOIN settle AS s CROSS JOIN cfg AS k
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
    sum(staff_minutes) * any_value(settings.hourly_cost_jpy) / 60 AS staff_cost_jpy,
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

-- People (SPEC "Money and people"), per staff member named on events up to A, for inquiries received
-- in the period: quotes sent, first quotes on time, staff minutes on events, and conversions among the
-- inquiries whose first quote they sent. Events with no staff are counted under NULL.
CREATE OR REPLACE TEMP MACRO staff_performance(facts, start_date, end_date) AS TABLE
WITH
period AS (SELECT * FROM period_facts(facts, start_date, end_date)),
work AS (
    SELECT
        e.staff,
        count(*) FILTER (WHERE e.event = 'quote_sent')                     AS quotes_sent,
        CAST(sum(e.staff_minutes) AS BIGINT)                               AS staff_minutes
    FROM events AS e
    JOIN period AS f USING (inquiry_id)
    WHERE e.event_at < CAST(f.as_of_date + 1 AS TIMESTAMP)
    GROUP BY e.staff
),
first_quotes AS (
    SELECT
        first_quote_staff                                                  AS staff,
        count(*)                                                           AS first_quotes,
        count(*) FILTER (WHERE quote_sla_met)                              AS first_quotes_on_time,
        count(*) FILTER (WHERE converted)                                  AS conversions
    FROM period WHERE quoted
    GROUP BY first_quote_staff
),
final AS (
    SELECT
        coalesce(w.staff, q.staff)                                         AS staff,
        coalesce(w.quotes_sent, 0)                                         AS quotes_sent,
        coalesce(q.first_quotes, 0)                                        AS first_quotes,
        coalesce(q.first_quotes_on_time, 0)                                AS first_quotes_on_time,
        coalesce(w.staff_minutes, 0)                                       AS staff_minutes,
        coalesce(q.conversions, 0)                                         AS conversions,
        q.first_quotes_on_time / nullif(q.first_quotes, 0)                 AS on_time_rate,
        q.conversions / nullif(q.first_quotes, 0)                          AS conversion_rate
    FROM work AS w
    FULL OUTER JOIN first_quotes AS q ON q.staff IS NOT DISTINCT FROM w.staff
)
SELECT * FROM final ORDER BY staff_minutes DESC, staff NULLS LAST;

-- The staff's lists for day A, the facts' as_of_date (SPEC "Staff lists for day A"; not limited by
-- any period). N is the first business day after A. An inquiry may be on more than one list. One branch
-- per list of pipelines.vocabulary.STAFF_LIST_REGISTRY, each with its `order_key`: within a list, the
-- smallest first (NULL: by requested date only). The branches pick IDs; each entry then carries only
-- the facts its readers show (at a million inquiries the facts of a lists' scope are ~125k rows of
-- ~60 columns, the entries ~15k of 28).
CREATE OR REPLACE TEMP MACRO staff_list_members_unmarked(facts) AS TABLE
WITH
f AS (SELECT * FROM query_table(facts)),
day AS (  -- A and the settings (the same on every row of the facts) and N
    SELECT a, k, cfg, (SELECT min(b.day) FROM business_days AS b
                       WHERE b.calendar = cfg.calendar AND b.is_business_day AND b.day > a) AS n
    FROM (SELECT f.as_of_date AS a, f.known_date AS k, f.settings AS cfg FROM f LIMIT 1)
),
refusal_window AS (  -- the decision: on arrival (urgent) or at the late request; the last business
                     -- day the refusal is on the list (a snooze past it would hide it for good)
    SELECT f.inquiry_id,
           CASE WHEN f.status = 'rejected_urgent' THEN f.received_date ELSE f.last_request_date END
               AS decision_date,
           last_day.day AS refusal_last_date
    FROM f
    CROSS JOIN day
    JOIN business_days AS ba ON ba.calendar = day.cfg.calendar AND ba.day = day.a
    JOIN business_days AS bd
      ON bd.calendar = day.cfg.calendar
     AND bd.day = CASE WHEN f.status = 'rejected_urgent' THEN f.received_date
                       ELSE f.last_request_date END
    LEFT JOIN business_days AS last_day
      ON last_day.calendar = day.cfg.calendar AND last_day.is_business_day
     AND last_day.business_day_index
         = bd.business_day_index + CAST(day.cfg.refusal_days AS INTEGER) - 1
    WHERE f.status IN ('rejected_urgent', 'rejected_late_request')
      AND ba.business_day_index - bd.business_day_index
          < CAST(day.cfg.refusal_days AS INTEGER)
),
refusal_events AS (  -- their customer's last message and the office's last event, up to K (= A)
    SELECT e.inquiry_id,
           max(e.event_at) FILTER (WHERE is_customer_side(e.event))     AS last_customer_at,
           max(e.event_at) FILTER (WHERE NOT is_customer_side(e.event)) AS last_staff_at
    FROM events AS e
    CROSS JOIN day
    WHERE e.inquiry_id IN (SELECT inquiry_id FROM refusal_window)
      AND e.event_at < CAST(day.k + 1 AS TIMESTAMP)
    GROUP BY e.inquiry_id
),
listed AS (
    SELECT 'eligible' AS list, NULL::INTEGER AS order_key, f.inquiry_id FROM f, day
    WHERE f.status = 'contracted' AND f.requested_date = day.a
    UNION ALL BY NAME
    SELECT 'attention' AS list, NULL::INTEGER AS order_key, f.inquiry_id FROM f, day
    WHERE f.status = 'contracted_against_rules' AND f.requested_date = day.a
    UNION ALL BY NAME
    -- the last day to sign is today, or falls before the next business day; the nearest first
    SELECT 'sign_by' AS list, date_diff('day', day.a, f.sign_by_date) AS order_key, f.inquiry_id
    FROM f, day
    WHERE f.status IN ('open', 'incomplete') AND f.sign_by_date >= day.a AND f.sign_by_date < day.n
    UNION ALL BY NAME
    -- overdue quotes (the most recently overdue first, so long-forgotten ones do not bury
    -- yesterday's) then those due today
    SELECT 'quote_due' AS list,
           CASE WHEN f.quote_due_date = day.a THEN 2147483647
                ELSE date_diff('day', f.quote_due_date, day.a) END AS order_key, f.inquiry_id FROM f, day
    WHERE f.status IN ('open', 'incomplete') AND NOT f.quoted AND f.quote_due_date <= day.a
    UNION ALL BY NAME
    -- a reminder before the inquiry turns silent; the nearest silence first
    SELECT 'follow_up' AS list, date_diff('day', day.a, f.silent_after_date) AS order_key, f.inquiry_id
    FROM f, day
    WHERE f.status IN ('open', 'incomplete') AND f.quoted AND NOT f.contacted_after_quote
      AND NOT f.quote_judged
      AND CAST(f.first_quote_at AS DATE) + CAST(day.cfg.follow_up_days AS INTEGER) <= day.a
    UNION ALL BY NAME
    SELECT 'upcoming' AS list, NULL::INTEGER AS order_key, f.inquiry_id FROM f, day
    WHERE f.status IN ('contracted', 'contracted_against_rules')
      AND f.requested_date > day.a
      AND f.requested_date <= day.a + CAST(day.cfg.upcoming_days AS INTEGER)
    UNION ALL BY NAME
    -- rejected inquiries decided in the last refusal_days business days whose customer has heard
    -- nothing from the office since their last message; the oldest decision first
    SELECT 'refusals' AS list, date_diff('day', day.a, w.decision_date) AS order_key,
           w.decision_date, w.refusal_last_date, f.inquiry_id
    FROM f
    CROSS JOIN day
    JOIN refusal_window AS w USING (inquiry_id)
    LEFT JOIN refusal_events AS ev USING (inquiry_id)
    WHERE ev.last_staff_at IS NULL
       OR ev.last_staff_at <= greatest(f.received_at, coalesce(ev.last_customer_at, f.received_at))
)
-- each entry with the facts that its readers (staff_list_marked, staff_list_rows, staff_lists_from)
-- show, and the inquiry's latest event
SELECT
    l.list, l.order_key, l.decision_date, l.refusal_last_date, f.inquiry_id, f.requested_for,
    f.requested_date,
    f.requested_date_from_message, f.message_evidence, f.service, f.status, f.reason_codes,
    f.missing_fields, f.received_at, f.first_quote_at, f.contract_at, f.quoted, f.quoted_amount_jpy,
    f.latest_quote_staff, f.sign_by_date, f.quote_due_date, f.as_of_date, f.known_date,
    f.silent_after_date, f.lead_days, f.urgent_evidence, f.staff_attributes, f.staff_minutes,
    b.last_event_at
FROM listed AS l
JOIN f USING (inquiry_id)
LEFT JOIN inquiry_base AS b USING (inquiry_id);

-- The office's marks on a list entry: `done` (handled for this day or before — no later than the day
-- the facts are known at, K — and no event of the inquiry newer than the one seen when marking) and
-- `snoozed_until` (off the lists until that day).
CREATE OR REPLACE TEMP MACRO list_done(id, list_name, a, last_event) AS coalesce((
    SELECT bool_or(o.day <= a AND (last_event IS NULL OR last_event <= o.seen))
    FROM office_done AS o WHERE o.inquiry_id = id AND o.list = list_name), false);
CREATE OR REPLACE TEMP MACRO list_snoozed_until(id, a) AS (
    SELECT max(o.until) FROM office_snoozed AS o WHERE o.inquiry_id = id AND o.until > a);

-- The entries of staff_list_members_unmarked (a relation named by `entries`) with the office's
-- marks. The entries depend only on the facts; a mark re-reads only this (pipelines.api.staff_lists
-- keeps the entries per facts).
CREATE OR REPLACE TEMP MACRO staff_list_marked(entries) AS TABLE
SELECT
    l.* EXCLUDE (last_event_at),
    l.quote_due_date < l.as_of_date AS overdue,
    l.last_event_at,
    list_done(l.inquiry_id, l.list, l.known_date, l.last_event_at) AS done,
    list_snoozed_until(l.inquiry_id, l.as_of_date) AS snoozed_until
FROM query_table(entries) AS l;

-- The members of every staff list for the facts' day, with the office's marks.
CREATE OR REPLACE TEMP MACRO staff_list_members(facts) AS TABLE
SELECT
    l.* EXCLUDE (last_event_at),
    l.quote_due_date < l.as_of_date AS overdue,
    l.last_event_at,
    list_done(l.inquiry_id, l.list, l.known_date, l.last_event_at) AS done,
    list_snoozed_until(l.inquiry_id, l.as_of_date) AS snoozed_until
FROM staff_list_members_unmarked(facts) AS l;

-- The staff lists for people from entries (staff_list_members_unmarked, a relation's name): each
-- member with the marks, most urgent first; `staff_list_rows` without the customer's details (a page fetches
-- them for the items it shows: list_details in queries.sql), `staff_lists_from` with them.
CREATE OR REPLACE TEMP MACRO staff_list_rows(entries) AS TABLE
SELECT
    l.list, l.inquiry_id, l.requested_for, l.requested_date, l.requested_date_from_message,
    l.message_evidence, l.service, l.status, l.reason_codes,
    l.missing_fields, l.received_at, l.first_quote_at, l.contract_at, l.quoted, l.quoted_amount_jpy,
    l.latest_quote_staff, l.sign_by_date, l.quote_due_date, l.overdue, l.as_of_date,
    l.silent_after_date, l.lead_days, l.urgent_evidence, l.staff_attributes, l.staff_minutes,
    l.decision_date, l.refusal_last_date, l.last_event_at, l.done, l.snoozed_until,
    CAST(l.requested_date - CAST(l.contract_at AS DATE) AS INTEGER) AS contract_lead_days,
    CAST(l.as_of_date - CAST(l.first_quote_at AS DATE) AS INTEGER) AS days_since_quote
FROM staff_list_marked(entries) AS l
ORDER BY list_position(getvariable('staff_lists'), l.list), l.order_key NULLS LAST,
    l.requested_for, l.received_at, l.inquiry_id;

CREATE OR REPLACE TEMP MACRO staff_lists_from(entries) AS TABLE
SELECT
    l.list, l.inquiry_id, i.customer_name, i.customer_email, i.target_phone, i.customer_address,
    l.requested_for, l.requested_date, l.requested_date_from_message, l.message_evidence, l.service,
    i.message, l.status, l.reason_codes, l.missing_fields,
    l.received_at, l.first_quote_at, l.contract_at, l.quoted, l.quoted_amount_jpy, l.latest_quote_staff,
    l.sign_by_date, l.quote_due_date, l.overdue, l.as_of_date,
    l.silent_after_date, l.lead_days, l.urgent_evidence, l.staff_attributes, l.staff_minutes,
    l.decision_date, l.refusal_last_date, l.last_event_at, l.done, l.snoozed_until,
    CAST(l.requested_date - CAST(l.contract_at AS DATE) AS INTEGER) AS contract_lead_days,
    CAST(l.as_of_date - CAST(l.first_quote_at AS DATE) AS INTEGER) AS days_since_quote
FROM staff_list_marked(entries) AS l
JOIN inquiries AS i USING (inquiry_id)
ORDER BY list_position(getvariable('staff_lists'), l.list), l.order_key NULLS LAST,
    l.requested_for, l.received_at, l.inquiry_id;

-- The staff lists for people: each member with the customer's details, most urgent first.
CREATE OR REPLACE TEMP MACRO staff_lists(facts) AS TABLE
SELECT
    l.list, l.inquiry_id, i.customer_name, i.customer_email, i.target_phone, i.customer_address,
    l.requested_for, l.requested_date, l.requested_date_from_message, l.message_evidence, l.service,
    i.message, l.status, l.reason_codes, l.missing_fields,
    l.received_at, l.first_quote_at, l.contract_at, l.quoted, l.quoted_amount_jpy, l.latest_quote_staff,
    l.sign_by_date, l.quote_due_date, l.overdue, l.as_of_date,
    l.silent_after_date, l.lead_days, l.urgent_evidence, l.staff_attributes, l.staff_minutes,
    l.decision_date, l.refusal_last_date, l.last_event_at, l.done, l.snoozed_until,
    CAST(l.requested_date - CAST(l.contract_at AS DATE) AS INTEGER) AS contract_lead_days,
    CAST(l.as_of_date - CAST(l.first_quote_at AS DATE) AS INTEGER) AS days_since_quote
FROM staff_list_members(facts) AS l
JOIN inquiries AS i USING (inquiry_id)
ORDER BY list_position(getvariable('staff_lists'), l.list), l.order_key NULLS LAST,
    l.requested_for, l.received_at, l.inquiry_id;

-- Every rule's verdict for one inquiry (SPEC: met / broken / not judged yet / does not apply, with the
-- fact behind it). `days`/`needed` are day counts, `on_date` the date the fact is about, `detail` text.
-- Which rule decided the status comes from the reason codes (pipelines.vocabulary.RULE_REASONS).
CREATE OR REPLACE TEMP MACRO rule_trace(facts, id) AS TABLE
WITH
f AS (
    SELECT *, CAST(settings.min_lead_days AS INTEGER) AS min_lead,
           CAST(settings.quote_sla_business_days AS INTEGER) AS sla,
           CAST(settings.silence_days AS INTEGER) AS silence,
           CAST(settings.urgent_by_message AS BOOLEAN) AS by_message
    FROM query_table(facts) WHERE inquiry_id = id
),
rules AS (
    SELECT unnest([
        {'rule': 'completeness',
         'verdict': CASE WHEN len(missing_fields) = 0 THEN 'met' ELSE 'broken' END,
         'days': NULL::INTEGER, 'needed': NULL::INTEGER, 'on_date': NULL::DATE,
         'detail': array_to_string(missing_fields, ',')},
        {'rule': 'lead_time',
         'verdict': CASE WHEN lead_days IS NULL THEN 'not_applicable'
                         WHEN lead_days < min_lead THEN 'broken' ELSE 'met' END,
         'days': lead_days::INTEGER, 'needed': min_lead, 'on_date': requested_date, 'detail': NULL},
        {'rule': 'message_urgency',
         'verdict': CASE WHEN requested_for IS NOT NULL OR NOT by_message THEN 'not_applicable'
                         WHEN urgent_by_text THEN 'broken' ELSE 'met' END,
         'days': date_diff('day', received_date, message_date)::INTEGER, 'needed': min_lead,
         'on_date': message_date, 'detail': coalesce(urgent_evidence, message_evidence)},
        {'rule': 'quote_turnaround',
         'verdict': CASE WHEN quoted AND quote_sla_met THEN 'met'
                         WHEN quoted THEN 'broken'
                         WHEN quote_due_date >= as_of_date THEN 'pending' ELSE 'broken' END,
         'days': quote_business_days::INTEGER, 'needed': sla,
         'on_date': CASE WHEN quoted THEN CAST(first_quote_at AS DATE) ELSE quote_due_date END,
         'detail': CAST(quote_due_date AS VARCHAR)},
        {'rule': 'silence',
         'verdict': CASE WHEN NOT quoted THEN 'not_applicable'
                         WHEN contacted_after_quote THEN 'met'
                         WHEN silent THEN 'broken' ELSE 'pending' END,
         'days': CASE WHEN contacted_after_quote
                      THEN date_diff('day', CAST(first_quote_at AS DATE), CAST(first_contact_after_quote_at AS DATE))
                      ELSE date_diff('day', CAST(first_quote_at AS DATE), as_of_date) END::INTEGER,
         'needed': silence, 'on_date': silent_after_date, 'detail': CAST(CAST(first_quote_at AS DATE) AS VARCHAR)},
        {'rule': 'late_request',
         'verdict': CASE WHEN last_request_date IS NULL OR requested_date IS NULL THEN 'not_applicable'
                         WHEN late_request THEN 'broken' ELSE 'met' END,
         'days': date_diff('day', last_request_date, requested_date)::INTEGER, 'needed': min_lead,
         'on_date': last_request_date, 'detail': NULL},
        {'rule': 'customer_decision',
         'verdict': CASE WHEN cancelled OR declined THEN 'broken' ELSE 'met' END,
         'days': NULL, 'needed': NULL, 'on_date': coalesce(cancelled_date, declined_date),
         'detail': CASE WHEN cancelled THEN 'cancelled' WHEN declined THEN 'declined' END},
        {'rule': 'time_to_sign',
         'verdict': CASE WHEN converted OR requested_date IS NULL THEN 'not_applicable'
                         WHEN date_diff('day', as_of_date, requested_date) < min_lead THEN 'broken'
                         ELSE 'pending' END,
         'days': date_diff('day', as_of_date, requested_date)::INTEGER, 'needed': min_lead,
         'on_date': sign_by_date, 'detail': NULL},
        {'rule': 'contract_lead',
         'verdict': CASE WHEN NOT converted AND status IN ('open', 'incomplete') THEN 'pending'
                         WHEN NOT converted THEN 'not_applicable'
                         WHEN late_contract THEN 'broken' ELSE 'met' END,
         'days': date_diff('day', CAST(contract_at AS DATE), requested_date)::INTEGER, 'needed': min_lead,
         'on_date': CAST(contract_at AS DATE), 'detail': NULL},
        {'rule': 'prior_quote',
         'verdict': CASE WHEN NOT converted THEN 'not_applicable'
                         WHEN no_prior_quote THEN 'broken' ELSE 'met' END,
         'days': NULL, 'needed': NULL, 'on_date': CAST(first_quote_at AS DATE), 'detail': NULL}
    ]) AS r, reason_codes
    FROM f
)
SELECT
    row_number() OVER () AS step,
    r.rule, r.verdict, r.days, r.needed, r.on_date, r.detail, reason_codes
FROM rules;

-- Quote-log events whose inquiry is not loaded (yet).
CREATE OR REPLACE TEMP VIEW orphan_events AS
SELECT e.* FROM events AS e
WHERE NOT EXISTS (SELECT 1 FROM inquiries AS i WHERE i.inquiry_id = e.inquiry_id);

-- The report's figures in one statement (pipelines.api.report): the period's metrics, its status
-- counts and the size of each staff list. A MATERIALIZED CTE evaluates the facts once for all three,
-- keeping only the columns they read.
CREATE OR REPLACE TEMP MACRO report_figures(facts, start_date, end_date) AS TABLE
WITH report_facts AS MATERIALIZED (SELECT * FROM query_table(facts))
SELECT
    (SELECT m FROM period_metrics('report_facts', start_date, end_date, 'all') AS m) AS metrics,
    (SELECT list({'status': c.status, 'inquiries': c.inquiries} ORDER BY c.inquiries DESC, c.status)
     FROM status_counts('report_facts', start_date, end_date) AS c)               AS statuses,
    (SELECT list({'list': l.list, 'inquiries': l.inquiries, 'overdue': l.overdue})
     FROM (SELECT list, count(*) AS inquiries, count(*) FILTER (WHERE overdue) AS overdue
           FROM staff_list_members('report_facts')
           WHERE NOT done AND snoozed_until IS NULL  -- what staff still have to do
           GROUP BY list) AS l)                                                    AS lists;
