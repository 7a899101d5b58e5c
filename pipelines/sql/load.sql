-- Staging: from the file's text cells (view stg, canonical names) to typed rows and their problems.
-- Each statement is named by a '-- name:' line; pipelines.loader runs them by name.

-- name: typed_inquiries
-- One row per staged row, in file order, from view stg: the canonical columns and the raw cells
-- c0 … cN. `problems` lists {column, code, params} for each unusable value (code: one of
-- pipelines.readers.REASONS, params: JSON filling its template, worded by pipelines.i18n when shown);
-- `cells` keeps the raw cells of rows with problems.
-- A row whose values are all blank is a blank line: it has no inquiry_id, and delete_blank_rows
-- removes it. The raw text is only looked at when a value failed.
-- Each raw value is folded (jp_fold) at most once, in `folded`, and everything after it reads the
-- fold (<column>_fold); a date or number the fast path read (<column>_fast) is folded only when its
-- problem needs the text, so a big export's plain values are never folded. (Each macro is expanded
-- where it is named: folding in every place that needs the text made a one-row load plan for 0.15 s;
-- test_load_sql checks the expansion.)
CREATE OR REPLACE TEMP TABLE typed AS
WITH fast AS (
    SELECT *,
        fast_ts(received_at)                   AS received_at_fast,
        fast_ts(requested_for)                 AS requested_for_fast,
        int_plain(staff_minutes)               AS staff_minutes_fast
    FROM stg
),
folded AS (
    SELECT *,
        CASE WHEN ts_in_range(received_at_fast) THEN NULL ELSE jp_fold(received_at) END AS received_at_fold,
        CASE WHEN ts_in_range(requested_for_fast) THEN NULL ELSE jp_fold(requested_for) END AS requested_for_fold,
        CASE WHEN staff_minutes_fast IS NULL THEN jp_fold(staff_minutes) END AS staff_minutes_fold,
        jp_fold(inquiry_id)                    AS inquiry_id_fold
    FROM fast
),
parsed AS (
    SELECT
        COLUMNS('^c[0-9]+$'),
        COLUMNS('_(fast|fold)$'),
        inquiry_id_fold                        AS inquiry_id,
        CASE WHEN received_at_fast IS NOT NULL THEN received_at_fast
             ELSE ts_folded(received_at_fold) END AS received_at,
        nullif(text_clean(customer_name), '') AS customer_name,
        nullif(text_clean(customer_address), '') AS customer_address,
        nullif(text_clean(customer_email), '') AS customer_email,
        nullif(text_clean(target_phone), '') AS target_phone,
        CASE WHEN requested_for_fast IS NOT NULL THEN requested_for_fast
             ELSE ts_folded(requested_for_fold) END AS requested_for,
        nullif(trim(service), '') AS service,
        nullif(trim(message), '') AS message,
        match_fold(message)                    AS message_norm,
        nullif(trim(channel), '') AS channel,
        CASE WHEN staff_minutes_fast IS NOT NULL THEN staff_minutes_fast
             ELSE minutes_folded(staff_minutes_fold) END AS staff_minutes
    FROM folded
),
final AS (
    -- a value that is not in range (or not read) has its fold: `folded` made it for every such value
    SELECT
        *,
        list_filter([
            CASE WHEN inquiry_id IS NULL THEN {'column': 'inquiry_id', 'code': 'REQUIRED_BLANK', 'params': json_object()} END,
            CASE WHEN ts_in_range(received_at) THEN NULL
                 WHEN received_at_fold IS NULL THEN {'column': 'received_at', 'code': 'REQUIRED_BLANK', 'params': json_object()}
                 WHEN received_at IS NULL THEN {'column': 'received_at', 'code': ts_problem(received_at_fold), 'params': json_object('value', left(received_at_fold, 60))}
                 ELSE {'column': 'received_at', 'code': 'DATE_OUT_OF_RANGE', 'params': json_object('first', year(getvariable('first_date')), 'last', year(getvariable('last_date')), 'value', left(received_at_fold, 60))} END,
            CASE WHEN requested_for IS NULL AND requested_for_fold IS NOT NULL
                     THEN {'column': 'requested_for', 'code': ts_problem(requested_for_fold), 'params': json_object('value', left(requested_for_fold, 60))}
                 WHEN NOT ts_in_range(requested_for)
                     THEN {'column': 'requested_for', 'code': 'DATE_OUT_OF_RANGE', 'params': json_object('first', year(getvariable('first_date')), 'last', year(getvariable('last_date')), 'value', left(requested_for_fold, 60))} END,
            CASE WHEN staff_minutes IS NULL AND staff_minutes_fold IS NOT NULL
                     THEN {'column': 'staff_minutes', 'code': 'MINUTES_NOT_INTEGER', 'params': json_object('value', left(staff_minutes_fold, 60))}
                 WHEN staff_minutes < 0 THEN {'column': 'staff_minutes', 'code': 'MINUTES_NEGATIVE', 'params': json_object('value', staff_minutes)}
                 WHEN staff_minutes > 100000 THEN {'column': 'staff_minutes', 'code': 'MINUTES_TOO_MANY', 'params': json_object('value', staff_minutes)} END
        ], lambda p: p IS NOT NULL) AS problems
    FROM parsed
)
SELECT
    COLUMNS(lambda c: NOT regexp_matches(c, '^(c[0-9]+|\w+_(fast|fold)|has_problems)$')),
    NOT has_problems AS ok,
    -- the raw cells, gathered only for rows with problems (a list for every row costs time)
    CASE WHEN has_problems THEN list_value(*COLUMNS('^c[0-9]+$')) END AS cells
FROM (SELECT *, len(problems) > 0 AS has_problems FROM final);

-- name: typed_events
-- As typed_inquiries; event_key is the event's identity over every column (parse.sql event_key()).
CREATE OR REPLACE TEMP TABLE typed AS
WITH fast AS (
    SELECT *,
        fast_ts(event_at)                      AS event_at_fast,
        int_plain(amount_jpy)                  AS amount_jpy_fast,
        int_plain(staff_minutes)               AS staff_minutes_fast
    FROM stg
),
folded AS (
    SELECT *,
        CASE WHEN ts_in_range(event_at_fast) THEN NULL ELSE jp_fold(event_at) END AS event_at_fold,
        jp_fold(event)                         AS event_fold,
        CASE WHEN amount_jpy_fast IS NULL THEN jp_fold(amount_jpy) END AS amount_jpy_fold,
        CASE WHEN staff_minutes_fast IS NULL THEN jp_fold(staff_minutes) END AS staff_minutes_fold,
        jp_fold(inquiry_id)                    AS inquiry_id_fold
    FROM fast
),
parsed AS (
    SELECT
        COLUMNS('^c[0-9]+$'),
        COLUMNS('_(fast|fold)$'),
        inquiry_id_fold                        AS inquiry_id,
        CASE WHEN event_at_fast IS NOT NULL THEN event_at_fast
             ELSE ts_folded(event_at_fold) END AS event_at,
        -- a map lookup, not a join: the projection keeps file order, which line numbers rely on
        (SELECT map(list(spelling), list(event)) FROM event_kinds)[replace(lower(event_fold), ' ', '')] AS event,
        CASE WHEN amount_jpy_fast IS NOT NULL THEN amount_jpy_fast
             ELSE yen_folded(amount_jpy_fold) END AS amount_jpy,
        nullif(trim(staff), '') AS staff,
        CASE WHEN staff_minutes_fast IS NOT NULL THEN staff_minutes_fast
             ELSE minutes_folded(staff_minutes_fold) END AS staff_minutes,
        nullif(trim(note), '') AS note
    FROM folded
),
final AS (
    SELECT
        *,
        list_filter([
            CASE WHEN inquiry_id IS NULL THEN {'column': 'inquiry_id', 'code': 'REQUIRED_BLANK', 'params': json_object()} END,
            CASE WHEN ts_in_range(event_at) THEN NULL
                 WHEN event_at_fold IS NULL THEN {'column': 'event_at', 'code': 'REQUIRED_BLANK', 'params': json_object()}
                 WHEN event_at IS NULL THEN {'column': 'event_at', 'code': ts_problem(event_at_fold), 'params': json_object('value', left(event_at_fold, 60))}
                 ELSE {'column': 'event_at', 'code': 'DATE_OUT_OF_RANGE', 'params': json_object('first', year(getvariable('first_date')), 'last', year(getvariable('last_date')), 'value', left(event_at_fold, 60))} END,
            CASE WHEN event IS NOT NULL THEN NULL
                 WHEN event_fold IS NULL THEN {'column': 'event', 'code': 'REQUIRED_BLANK', 'params': json_object()}
                 ELSE {'column': 'event', 'code': 'EVENT_UNKNOWN', 'params': json_object('value', left(event_fold, 60),
                      'expected', 'quote_sent/見積送信, customer_reply/顧客返信, contract_requested/正式依頼, contract_signed/契約締結, customer_declined/辞退連絡, cancelled/キャンセル, staff_work/社内作業')} END,
            CASE WHEN amount_jpy IS NULL AND amount_jpy_fold IS NOT NULL
                     THEN {'column': 'amount_jpy', 'code': 'AMOUNT_NOT_INTEGER', 'params': json_object('value', left(amount_jpy_fold, 60))}
                 WHEN amount_jpy < 0 THEN {'column': 'amount_jpy', 'code': 'AMOUNT_NEGATIVE', 'params': json_object('value', amount_jpy)} END,
            CASE WHEN staff_minutes IS NULL AND staff_minutes_fold IS NOT NULL
                     THEN {'column': 'staff_minutes', 'code': 'MINUTES_NOT_INTEGER', 'params': json_object('value', left(staff_minutes_fold, 60))}
                 WHEN staff_minutes < 0 THEN {'column': 'staff_minutes', 'code': 'MINUTES_NEGATIVE', 'params': json_object('value', staff_minutes)}
                 WHEN staff_minutes > 100000 THEN {'column': 'staff_minutes', 'code': 'MINUTES_TOO_MANY', 'params': json_object('value', staff_minutes)} END
        ], lambda p: p IS NOT NULL) AS problems
    FROM parsed
)
SELECT
    COLUMNS(lambda c: NOT regexp_matches(c, '^(c[0-9]+|\w+_(fast|fold)|has_problems)$')),
    NOT has_problems AS ok,
    CASE WHEN has_problems THEN list_value(*COLUMNS('^c[0-9]+$')) END AS cells,
    CASE WHEN NOT has_problems
         THEN event_key(inquiry_id, event_at, event, amount_jpy, staff, staff_minutes, note) END AS event_key
FROM (SELECT *, len(problems) > 0 AS has_problems FROM final);

-- name: delete_blank_rows
-- Blank lines are no rows (readers.Staged): every value blank. Deleting keeps the other rows' rowids.
DELETE FROM typed WHERE inquiry_id IS NULL AND list_bool_and(list_transform(cells, lambda c: blank_text(c)));

-- name: quarantine_problems
-- Rows with unusable values, as quarantine rows (pipelines.loader inserts the columns the table has;
-- reason_code lists the REASONS codes in the order of column_name, reason_params their parameters as
-- a JSON array in the same order).
SELECT
    $load_id AS load_id, $file_name AS file_name, $sheet AS sheet, line,
    array_to_string(list_transform(cells, lambda v: csv_cell(v)), ',') AS raw,
    array_to_string(list_transform(problems, lambda p: p.column), ', ') AS column_name,
    array_to_string(list_transform(problems, lambda p: p.code), ', ') AS reason_code,
    to_json(list_transform(problems, lambda p: p.params)) AS reason_params
FROM lined
WHERE NOT ok;

-- name: quarantine_rejects
-- Records that are no rows (readers.Reject), as quarantine rows: one code, its parameters in an array.
SELECT $load_id AS load_id, $file_name AS file_name, $sheet AS sheet, line, raw, column_name,
       reason_code, CAST(reason_params AS JSON) AS reason_params
FROM stg_rejects;

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
       contact_key(inquiry_id, name_key, target_phone, customer_email) AS contact_norm,
       coalesce(staff_minutes, 0) AS staff_minutes,
       $load_id AS load_id, $file_name AS source_file, line AS source_line
FROM (
    SELECT *, name_fold(customer_name) AS name_key  -- contact_fold() in two levels (parse.sql)
    FROM lined
    WHERE rowid IN (SELECT max(rowid) FROM typed WHERE ok GROUP BY inquiry_id)
);

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

-- name: possible_corrections
-- The file's new events that share inquiry, time and kind with a stored event but differ in its amount
-- or staff minutes: a re-export with a corrected value, reported (SPEC "Bad input"), not added silently.
SELECT count(DISTINCT k.event_key) AS n,
       coalesce(list(DISTINCT k.inquiry_id ORDER BY k.inquiry_id), []) AS inquiries
FROM typed AS k
WHERE k.ok
  AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.event_key = k.event_key)
  AND EXISTS (
      SELECT 1 FROM events AS e
      WHERE e.inquiry_id = k.inquiry_id AND e.event_at = k.event_at AND e.event = k.event
        AND (e.amount_jpy IS DISTINCT FROM k.amount_jpy
             OR e.staff_minutes IS DISTINCT FROM coalesce(k.staff_minutes, 0))
  );

-- name: replace_events_of_file
-- load --replace-events: the file's events replace every stored event of the inquiries it names.
DELETE FROM events WHERE inquiry_id IN (SELECT inquiry_id FROM typed WHERE ok);

-- name: count_orphans
SELECT count(*) FROM events AS e
WHERE e.load_id = $load_id
  AND NOT EXISTS (SELECT 1 FROM inquiries AS q WHERE q.inquiry_id = e.inquiry_id);

-- name: count_waiting_events
-- every event in the database whose inquiry is not (yet) in it, after the whole load
SELECT count(*) FROM events AS e
WHERE NOT EXISTS (SELECT 1 FROM inquiries AS q WHERE q.inquiry_id = e.inquiry_id);
