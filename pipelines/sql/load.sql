-- Staging: from the file's text cells (view stg, canonical names) to typed rows and their problems.
-- Each statement is named by a '-- name:' line; pipelines.loader runs them by name.

-- name: typed_inquiries
CREATE OR REPLACE TEMP TABLE typed AS
WITH parsed AS (
    SELECT
        cells,
        received_at                            AS received_at_raw,
        requested_for                          AS requested_for_raw,
        staff_minutes                          AS staff_minutes_raw,
        jp_fold(inquiry_id)                    AS inquiry_id,
        parse_ts(received_at)                  AS received_at,
        nullif(trim(customer_name), '')        AS customer_name,
        nullif(trim(customer_address), '')     AS customer_address,
        nullif(trim(customer_email), '')       AS customer_email,
        nullif(trim(target_phone), '')         AS target_phone,
        parse_ts(requested_for)                AS requested_for,
        nullif(trim(service), '')              AS service,
        nullif(trim(message), '')              AS message,
        lower(nfkc(message))                   AS message_norm,
        nullif(trim(channel), '')              AS channel,
        parse_int(staff_minutes)               AS staff_minutes
    FROM stg
),
final AS (
    SELECT
        *,
        -- 'column|reason' for each problem; the raw text is only looked at when a value failed
        list_filter([
            CASE WHEN inquiry_id IS NULL THEN 'inquiry_id|required value is blank' END,
            CASE WHEN ts_in_range(received_at) THEN NULL
                 WHEN jp_fold(received_at_raw) IS NULL THEN 'received_at|required value is blank'
                 WHEN received_at IS NULL THEN 'received_at|cannot read date/time "' || left(jp_fold(received_at_raw), 60) || '"'
                 ELSE 'received_at|date out of range (' || year(getvariable('first_date')) || '–' || year(getvariable('last_date')) || ') "' || left(jp_fold(received_at_raw), 60) || '"' END,
            CASE WHEN requested_for IS NULL AND jp_fold(requested_for_raw) IS NOT NULL
                     THEN 'requested_for|cannot read date "' || left(jp_fold(requested_for_raw), 60) || '"'
                 WHEN NOT ts_in_range(requested_for)
                     THEN 'requested_for|date out of range (' || year(getvariable('first_date')) || '–' || year(getvariable('last_date')) || ') "' || left(jp_fold(requested_for_raw), 60) || '"' END,
            CASE WHEN staff_minutes IS NULL AND jp_fold(staff_minutes_raw) IS NOT NULL
                     THEN 'staff_minutes|not a whole number of minutes "' || left(jp_fold(staff_minutes_raw), 60) || '"'
                 WHEN staff_minutes < 0 THEN 'staff_minutes|negative minutes (' || staff_minutes || ')'
                 WHEN staff_minutes > 100000 THEN 'staff_minutes|implausibly many minutes (' || staff_minutes || ' > 100000)' END
        ], lambda p: p IS NOT NULL) AS problems
    FROM parsed
)
SELECT
    * EXCLUDE (cells, received_at_raw, requested_for_raw, staff_minutes_raw),
    len(problems) = 0 AS ok,
    CASE WHEN len(problems) > 0 THEN cells END AS cells
FROM final;

-- name: typed_events
CREATE OR REPLACE TEMP TABLE typed AS
WITH parsed AS (
    SELECT
        cells,
        event_at                               AS event_at_raw,
        event                                  AS event_raw,
        amount_jpy                             AS amount_raw,
        staff_minutes                          AS staff_minutes_raw,
        jp_fold(inquiry_id)                    AS inquiry_id,
        parse_ts(event_at)                     AS event_at,
        -- a map lookup, not a join: the projection keeps file order, which line numbers rely on
        (SELECT map(list(spelling), list(event)) FROM event_kinds)[replace(lower(jp_fold(event)), ' ', '')] AS event,
        parse_int(amount_jpy)                  AS amount_jpy,
        nullif(trim(staff), '')                AS staff,
        parse_int(staff_minutes)               AS staff_minutes,
        nullif(trim(note), '')                 AS note
    FROM stg
),
final AS (
    SELECT
        *,
        list_filter([
            CASE WHEN inquiry_id IS NULL THEN 'inquiry_id|required value is blank' END,
            CASE WHEN ts_in_range(event_at) THEN NULL
                 WHEN jp_fold(event_at_raw) IS NULL THEN 'event_at|required value is blank'
                 WHEN event_at IS NULL THEN 'event_at|cannot read date/time "' || left(jp_fold(event_at_raw), 60) || '"'
                 ELSE 'event_at|date out of range (' || year(getvariable('first_date')) || '–' || year(getvariable('last_date')) || ') "' || left(jp_fold(event_at_raw), 60) || '"' END,
            CASE WHEN event IS NOT NULL THEN NULL
                 WHEN jp_fold(event_raw) IS NULL THEN 'event|required value is blank'
                 ELSE 'event|unknown event kind "' || left(jp_fold(event_raw), 60)
                      || '" (expected quote_sent/見積送信, customer_reply/顧客返信, contract_requested/正式依頼, contract_signed/契約締結, customer_declined/辞退連絡, cancelled/キャンセル, staff_work/社内作業)' END,
            CASE WHEN amount_jpy IS NULL AND jp_fold(amount_raw) IS NOT NULL
                     THEN 'amount_jpy|not a whole number of yen "' || left(jp_fold(amount_raw), 60) || '"'
                 WHEN amount_jpy < 0 THEN 'amount_jpy|negative amount (' || amount_jpy || ')' END,
            CASE WHEN staff_minutes IS NULL AND jp_fold(staff_minutes_raw) IS NOT NULL
                     THEN 'staff_minutes|not a whole number of minutes "' || left(jp_fold(staff_minutes_raw), 60) || '"'
                 WHEN staff_minutes < 0 THEN 'staff_minutes|negative minutes (' || staff_minutes || ')'
                 WHEN staff_minutes > 100000 THEN 'staff_minutes|implausibly many minutes (' || staff_minutes || ' > 100000)' END
        ], lambda p: p IS NOT NULL) AS problems
    FROM parsed
)
SELECT
    * EXCLUDE (cells, event_at_raw, event_raw, amount_raw, staff_minutes_raw),
    len(problems) = 0 AS ok,
    CASE WHEN len(problems) > 0 THEN cells END AS cells,
    -- identity of an event: inquiry, instant, kind, amount, staff, minutes. 127 bits of their md5, as a
    -- signed HUGEINT: written far faster than the hex text and readable by pandas (unlike UHUGEINT).
    CASE WHEN len(problems) = 0 THEN CAST(md5_number(concat_ws('|', inquiry_id,
        strftime(event_at, '%Y-%m-%d %H:%M:%S'), event, coalesce(amount_jpy::VARCHAR, ''),
        coalesce(staff, ''), coalesce(staff_minutes, 0)::VARCHAR)) >> 1 AS HUGEINT)
    END AS event_key
FROM final;

-- name: quarantine_problems
INSERT INTO quarantine BY NAME
SELECT
    $load_id AS load_id, $file_name AS file_name, $sheet AS sheet, line,
    array_to_string(list_transform(cells, lambda v: csv_cell(v)), ',') AS raw,
    array_to_string(list_transform(problems, lambda p: split_part(p, '|', 1)), ', ') AS column_name,
    array_to_string(list_transform(problems, lambda p: split_part(p, '|', 1) || ': ' || split_part(p, '|', 2)), '; ') AS reason
FROM lined
WHERE NOT ok;

-- name: quarantine_rejects
INSERT INTO quarantine BY NAME
SELECT $load_id AS load_id, $file_name AS file_name, $sheet AS sheet, line, raw, reason FROM stg_rejects;

-- name: replace_inquiries
-- A later export replaces the earlier row; ids in the table are unique, so this counts replacements.
DELETE FROM inquiries WHERE inquiry_id IN (SELECT inquiry_id FROM typed WHERE ok);

-- name: insert_inquiries
-- Within one file the last line of a repeated inquiry_id wins. typed keeps the file's order, so the
-- last line is the largest rowid: a semi-join on integers (QUALIFY row_number() would become an
-- arg_max over a struct of every column, and a self-join on lines would read `lined` twice).
INSERT INTO inquiries BY NAME
SELECT inquiry_id, received_at, customer_name, customer_address, customer_email, target_phone,
       requested_for, service, message, message_norm, channel,
       coalesce(staff_minutes, 0) AS staff_minutes,
       $load_id AS load_id, $file_name AS source_file, line AS source_line
FROM lined
WHERE rowid IN (SELECT max(rowid) FROM typed WHERE ok GROUP BY inquiry_id);

-- name: insert_events
-- An identical event (same event_key) is stored once: its first line in the file, if not stored yet.
INSERT INTO events BY NAME
SELECT inquiry_id, event_at, event, amount_jpy, staff,
       coalesce(staff_minutes, 0) AS staff_minutes, note, event_key,
       $load_id AS load_id, $file_name AS source_file, line AS source_line
FROM lined
WHERE rowid IN (
    SELECT min(rowid) FROM typed AS k
    WHERE ok AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.event_key = k.event_key)
    GROUP BY event_key
);

-- name: count_orphans
SELECT count(*) FROM events AS e
WHERE e.load_id = $load_id
  AND NOT EXISTS (SELECT 1 FROM inquiries AS q WHERE q.inquiry_id = e.inquiry_id);
