-- Staging: from the file's text cells (view stg, canonical names) to typed rows and their problems.
-- Each statement is named by a '-- name:' line; pipelines.loader runs them by name.

-- name: typed_inquiries
CREATE OR REPLACE TEMP TABLE typed AS
WITH parsed AS (
    SELECT
        line,
        jp_fold(inquiry_id)                    AS inquiry_id,
        jp_fold(received_at)                   AS received_at_text,
        parse_ts(received_at)                  AS received_at,
        nullif(trim(customer_name), '')        AS customer_name,
        nullif(trim(customer_address), '')     AS customer_address,
        nullif(trim(customer_email), '')       AS customer_email,
        nullif(trim(target_phone), '')         AS target_phone,
        jp_fold(requested_for)                 AS requested_for_text,
        parse_ts(requested_for)                AS requested_for,
        nullif(trim(service), '')              AS service,
        nullif(trim(message), '')              AS message,
        lower(nfkc(message))                   AS message_norm,
        nullif(trim(channel), '')              AS channel,
        jp_fold(staff_minutes)                 AS staff_minutes_text,
        parse_int(staff_minutes)               AS staff_minutes
    FROM stg
),
final AS (
    SELECT
        *,
        list_filter([
            CASE WHEN inquiry_id IS NULL THEN 'inquiry_id|required value is blank' END,
            CASE WHEN received_at_text IS NULL THEN 'received_at|required value is blank'
                 WHEN received_at IS NULL THEN 'received_at|cannot read date/time "' || left(received_at_text, 60) || '"'
                 WHEN NOT ts_in_range(received_at) THEN 'received_at|date out of range (1990–2100) "' || left(received_at_text, 60) || '"' END,
            CASE WHEN requested_for_text IS NOT NULL AND requested_for IS NULL
                     THEN 'requested_for|cannot read date "' || left(requested_for_text, 60) || '"'
                 WHEN requested_for IS NOT NULL AND NOT ts_in_range(requested_for)
                     THEN 'requested_for|date out of range (1990–2100) "' || left(requested_for_text, 60) || '"' END,
            CASE WHEN staff_minutes_text IS NOT NULL AND staff_minutes IS NULL
                     THEN 'staff_minutes|not a whole number of minutes "' || left(staff_minutes_text, 60) || '"'
                 WHEN staff_minutes < 0 THEN 'staff_minutes|negative minutes (' || staff_minutes || ')'
                 WHEN staff_minutes > 100000 THEN 'staff_minutes|implausibly many minutes (' || staff_minutes || ' > 100000)' END
        ], lambda p: p IS NOT NULL) AS problems
    FROM parsed
)
SELECT * FROM final;

-- name: typed_events
CREATE OR REPLACE TEMP TABLE typed AS
WITH parsed AS (
    SELECT
        s.line,
        jp_fold(s.inquiry_id)                  AS inquiry_id,
        jp_fold(s.event_at)                    AS event_at_text,
        parse_ts(s.event_at)                   AS event_at,
        jp_fold(s.event)                       AS event_text,
        k.event                                AS event,
        jp_fold(s.amount_jpy)                  AS amount_text,
        parse_int(s.amount_jpy)                AS amount_jpy,
        nullif(trim(s.staff), '')              AS staff,
        jp_fold(s.staff_minutes)               AS staff_minutes_text,
        parse_int(s.staff_minutes)             AS staff_minutes,
        nullif(trim(s.note), '')               AS note
    FROM stg AS s
    LEFT JOIN event_kinds AS k
        ON k.spelling = replace(lower(jp_fold(s.event)), ' ', '')
),
final AS (
    SELECT
        *,
        list_filter([
            CASE WHEN inquiry_id IS NULL THEN 'inquiry_id|required value is blank' END,
            CASE WHEN event_at_text IS NULL THEN 'event_at|required value is blank'
                 WHEN event_at IS NULL THEN 'event_at|cannot read date/time "' || left(event_at_text, 60) || '"'
                 WHEN NOT ts_in_range(event_at) THEN 'event_at|date out of range (1990–2100) "' || left(event_at_text, 60) || '"' END,
            CASE WHEN event_text IS NULL THEN 'event|required value is blank'
                 WHEN event IS NULL THEN 'event|unknown event kind "' || left(event_text, 60)
                      || '" (expected quote_sent/見積送信, customer_reply/顧客返信, contract_requested/正式依頼, contract_signed/契約締結, customer_declined/辞退連絡, cancelled/キャンセル, staff_work/社内作業)' END,
            CASE WHEN amount_text IS NOT NULL AND amount_jpy IS NULL
                     THEN 'amount_jpy|not a whole number of yen "' || left(amount_text, 60) || '"'
                 WHEN amount_jpy < 0 THEN 'amount_jpy|negative amount (' || amount_jpy || ')' END,
            CASE WHEN staff_minutes_text IS NOT NULL AND staff_minutes IS NULL
                     THEN 'staff_minutes|not a whole number of minutes "' || left(staff_minutes_text, 60) || '"'
                 WHEN staff_minutes < 0 THEN 'staff_minutes|negative minutes (' || staff_minutes || ')'
                 WHEN staff_minutes > 100000 THEN 'staff_minutes|implausibly many minutes (' || staff_minutes || ' > 100000)' END
        ], lambda p: p IS NOT NULL) AS problems
    FROM parsed
)
SELECT * FROM final;

-- name: quarantine_problems
INSERT INTO quarantine
SELECT
    $load_id, $file_name, $sheet, line,
    (SELECT string_agg(csv_cell(v), ',') FROM unnest(cells) AS u(v)),
    array_to_string(list_transform(problems, lambda p: split_part(p, '|', 1)), ', '),
    array_to_string(list_transform(problems, lambda p: split_part(p, '|', 1) || ': ' || split_part(p, '|', 2)), '; ')
FROM typed_problem_rows;

-- name: quarantine_rejects
INSERT INTO quarantine
SELECT $load_id, $file_name, $sheet, line, raw, NULL, reason FROM stg_rejects;

-- name: merge_inquiries
CREATE OR REPLACE TEMP TABLE incoming AS
SELECT * FROM typed
WHERE len(problems) = 0
QUALIFY row_number() OVER (PARTITION BY inquiry_id ORDER BY line DESC) = 1;

-- name: count_replaced
SELECT count(*) FROM incoming JOIN inquiries USING (inquiry_id);

-- name: replace_inquiries
DELETE FROM inquiries WHERE inquiry_id IN (SELECT inquiry_id FROM incoming);

-- name: insert_inquiries
INSERT INTO inquiries
SELECT inquiry_id, received_at, customer_name, customer_address, customer_email, target_phone,
       requested_for, service, message, message_norm, channel, coalesce(staff_minutes, 0),
       $load_id, $file_name, line
FROM incoming;

-- name: merge_events
CREATE OR REPLACE TEMP TABLE incoming AS
WITH keyed AS (
    SELECT *, coalesce(staff_minutes, 0) AS minutes,
        md5(concat_ws('|', inquiry_id, strftime(event_at, '%Y-%m-%d %H:%M:%S'), event,
                      coalesce(amount_jpy::VARCHAR, ''), coalesce(staff, ''),
                      coalesce(staff_minutes, 0)::VARCHAR)) AS event_key
    FROM typed
    WHERE len(problems) = 0
)
SELECT * FROM keyed
WHERE NOT EXISTS (SELECT 1 FROM events AS e WHERE e.event_key = keyed.event_key)
QUALIFY row_number() OVER (PARTITION BY event_key ORDER BY line) = 1;

-- name: insert_events
INSERT INTO events
SELECT inquiry_id, event_at, event, amount_jpy, staff, minutes, note, event_key, $load_id, $file_name, line
FROM incoming;

-- name: count_orphans
SELECT count(*) FROM incoming AS i
WHERE NOT EXISTS (SELECT 1 FROM inquiries AS q WHERE q.inquiry_id = i.inquiry_id);
