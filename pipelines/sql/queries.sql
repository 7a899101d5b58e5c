-- What the dashboard and notebooks look up besides the metrics: search, one inquiry, data health.
-- Each statement is named by a '-- name:' line and run by pipelines.queries with $parameters.

-- name: inquiry_count
SELECT count(*) AS inquiries FROM inquiries;

-- name: freshness
-- How fresh the data is: the latest inquiry and event, and when the last load finished.
SELECT
    (SELECT max(received_at) FROM inquiries)  AS latest_received_at,
    (SELECT max(event_at) FROM events)        AS latest_event_at,
    (SELECT min(received_at) FROM inquiries)  AS first_received_at,
    (SELECT max(finished_at) FROM loads)      AS last_loaded_at;

-- name: loads
SELECT load_id, file_name, sheet, kind, encoding, rows_read, rows_loaded, rows_replaced,
       rows_duplicate, rows_quarantined, orphan_events, finished_at
FROM loads ORDER BY load_id DESC, file_name;

-- name: quarantine
SELECT file_name, sheet, line, column_name, reason_code, reason_params, raw FROM quarantine
ORDER BY load_id DESC, file_name, line;

-- name: orphans
SELECT inquiry_id, event_at, event, staff, source_file, source_line
FROM orphan_events ORDER BY event_at, inquiry_id;

-- name: filter_options
-- The values the Inquiries page's filters offer. DISTINCT first: a list of every row's value before
-- list_distinct took 0.075 s at a million inquiries, this 0.004 s.
SELECT
    (SELECT list(service ORDER BY service)
     FROM (SELECT DISTINCT service FROM inquiries WHERE service IS NOT NULL)) AS services,
    (SELECT list(channel ORDER BY channel)
     FROM (SELECT DISTINCT channel FROM inquiries WHERE channel IS NOT NULL)) AS channels;

-- name: search_inquiries
-- Inquiries matching a search text and filters, newest first, one page at a time. The text matches
-- ID, name, phone, e-mail and message after NFKC folding and lower case (folded at load:
-- contact_norm, message_norm), and IDs and phone numbers also with hyphens and spaces ignored
-- ($needle_compact: only when the text has an ASCII letter or digit). Names are stored without white
-- space, so a text with spaces also matches them without ($needle_name, '' when it has no space).
-- Empty filter lists mean "any".
WITH
text_hits AS (
    SELECT i.inquiry_id FROM inquiries AS i
    WHERE contains(i.message_norm, $needle)
       OR contains(i.contact_norm, $needle)
       OR ($needle_name <> '' AND contains(i.contact_norm, $needle_name))
       OR ($needle_compact <> ''
           AND contains(regexp_replace(i.contact_norm, $separators, '', 'g'), $needle_compact))
),
matched AS (
    SELECT f.inquiry_id, f.received_at, f.service, f.channel, f.requested_for, f.requested_date,
           f.requested_date_from_message, f.message_evidence, f.status, f.reason_codes,
           f.staff_minutes
    FROM query_table($facts) AS f
    WHERE (len($statuses) = 0 OR list_contains($statuses, f.status))
      AND (len($reasons) = 0 OR list_has_any($reasons, f.reason_codes))
      AND (len($services) = 0 OR list_contains($services, f.service))
      AND (len($channels) = 0 OR list_contains($channels, f.channel))
      AND ($needle = '' OR f.inquiry_id IN (SELECT inquiry_id FROM text_hits))
      -- the office's marks (holder, done, snoozed): only these inquiries; NULL: any
      AND ($ids IS NULL OR list_contains($ids, f.inquiry_id))
),
page AS (  -- only the page's rows get the customer's details
    SELECT * FROM matched ORDER BY received_at DESC, inquiry_id DESC
    LIMIT $page_size OFFSET $offset
)
SELECT
    p.inquiry_id, p.received_at, i.customer_name, i.target_phone, p.service, p.channel,
    p.requested_for, p.requested_date, p.requested_date_from_message, p.message_evidence,
    p.status, p.reason_codes, p.staff_minutes,
    (SELECT count(*) FROM matched) AS total_matches
FROM page AS p
JOIN inquiries AS i USING (inquiry_id)
ORDER BY p.received_at DESC, p.inquiry_id DESC;

-- name: inquiry_detail
-- One inquiry: its facts and the customer's details.
SELECT f.* EXCLUDE (settings), i.customer_name, i.customer_address, i.customer_email, i.target_phone, i.message,
       i.source_file, i.source_line
FROM query_table($facts) AS f
JOIN inquiries AS i USING (inquiry_id)
WHERE f.inquiry_id = $inquiry_id;

-- name: events_of
-- The quote-log events of one inquiry up to the end of A, in time order.
SELECT event_at, event, amount_jpy, staff, staff_minutes, note, source_file, source_line
FROM events
WHERE inquiry_id = $inquiry_id AND event_at < CAST(CAST($as_of AS DATE) + 1 AS TIMESTAMP)
ORDER BY event_at, event;

-- name: list_details
-- The customer's details of some staff-list items (the cards a page shows): only their rows of
-- inquiries are read, whatever the number of inquiries.
SELECT inquiry_id, customer_name, customer_email, target_phone, customer_address, message
FROM inquiries
WHERE inquiry_id IN (SELECT unnest($ids));
