-- Data-contract audits: each query must return zero rows. '-- audit: name | description' heads each.

-- audit: unique_inquiry_ids | every inquiry_id appears once
SELECT inquiry_id, count(*) AS copies FROM inquiries GROUP BY inquiry_id HAVING count(*) > 1;

-- audit: inquiry_required_values | inquiry_id and received_at are never blank
SELECT inquiry_id, received_at FROM inquiries WHERE nullif(trim(inquiry_id), '') IS NULL OR received_at IS NULL;

-- audit: known_event_kinds | every event is one of the canonical kinds (pipelines.vocabulary)
SELECT inquiry_id, event FROM events
WHERE NOT list_contains(getvariable('event_kinds'), event);

-- audit: unique_events | an identical event is stored once
SELECT event_key, count(*) AS copies FROM events GROUP BY event_key HAVING count(*) > 1;

-- audit: nonnegative_minutes | staff minutes are never negative
SELECT 'inquiry' AS source, inquiry_id, staff_minutes FROM inquiries WHERE staff_minutes < 0
UNION ALL
SELECT 'event', inquiry_id, staff_minutes FROM events WHERE staff_minutes < 0;

-- audit: nonnegative_amounts | quoted amounts are never negative
SELECT inquiry_id, amount_jpy FROM events WHERE amount_jpy < 0;

-- audit: events_after_inquiry | no event happens before its inquiry was received
SELECT e.inquiry_id, e.event, e.event_at, i.received_at
FROM events AS e JOIN inquiries AS i USING (inquiry_id)
WHERE CAST(e.event_at AS DATE) < CAST(i.received_at AS DATE);

-- audit: plausible_dates | dates lie in the accepted range (pipelines.vocabulary FIRST_DATE–LAST_DATE)
SELECT inquiry_id, received_at, requested_for FROM inquiries
WHERE CAST(received_at AS DATE) NOT BETWEEN getvariable('first_date') AND getvariable('last_date')
   OR CAST(requested_for AS DATE) NOT BETWEEN getvariable('first_date') AND getvariable('last_date');

-- audit: loads_balance | every file's rows are loaded, duplicate or quarantined, exactly once
SELECT file_name, sheet, rows_read, rows_loaded, rows_duplicate, rows_quarantined FROM loads
WHERE rows_read <> rows_loaded + rows_duplicate + rows_quarantined;

-- audit: quarantine_has_reasons | every quarantined row says where and why
SELECT file_name, line FROM quarantine
WHERE reason_code IS NULL OR trim(reason_code) = '' OR reason_params IS NULL OR line IS NULL;

-- audit: one_status_per_inquiry | the rules give every inquiry one known status and known reason codes
SELECT inquiry_id, status, reason_codes FROM inquiry_facts(CAST(getvariable('audit_as_of') AS DATE), getvariable('audit_settings'))
WHERE NOT list_contains(getvariable('statuses'), status)
   OR NOT list_has_all(getvariable('reason_codes'), reason_codes)
   OR len(reason_codes) = 0;
