-- What the office's marks look up in the database (pipelines.work_cli, the pages): each statement is
-- named by a '-- name:' line and takes $parameters.

-- name: inquiry_last_event
-- Whether an inquiry is loaded, and its latest event (a done mark holds until a newer one arrives).
SELECT i.inquiry_id, (SELECT max(e.event_at) FROM events AS e WHERE e.inquiry_id = i.inquiry_id)
    AS last_event_at
FROM inquiries AS i WHERE i.inquiry_id = $inquiry_id;

-- name: inquiries_by_id
-- The customer's details of some inquiries (the not-an-inquiry filter of the Inquiries page).
SELECT inquiry_id, received_at, customer_name, customer_email, target_phone, service, message
FROM inquiries WHERE list_contains($ids, inquiry_id)
ORDER BY received_at DESC, inquiry_id DESC;

-- name: fill_office_excluded
-- The office store's marks as the temp tables rules.sql reads (pipelines.office.marks.load_marks,
-- after emptying them): the not-an-inquiry IDs, the done marks and the snoozes, one list per column
-- (unnest zips them). Parameters, not Arrow: building Arrow arrays from Python loads pandas.
INSERT INTO office_excluded SELECT unnest(CAST($ids AS VARCHAR[]));

-- name: fill_office_done
INSERT INTO office_done
SELECT unnest(CAST($ids AS VARCHAR[])), unnest(CAST($lists AS VARCHAR[])),
       unnest(CAST($days AS DATE[])), unnest(CAST($seen AS TIMESTAMP[]));

-- name: fill_office_snoozed
INSERT INTO office_snoozed
SELECT unnest(CAST($ids AS VARCHAR[])), unnest(CAST($until AS DATE[]));
