-- Schema 4: an event's identity includes its note (two staff_work rows that differ only in their note
-- are two events). Keys of events without a note are unchanged; the others are recomputed with the
-- same macro the loader uses (pipelines/sql/parse.sql event_key).
UPDATE events
SET event_key = event_key(inquiry_id, event_at, event, amount_jpy, staff, staff_minutes, note)
WHERE note IS NOT NULL;
