-- Schema 5: the inquiry's ID, name, phone and e-mail folded for search, stored once at load (a search
-- of a million inquiries folded them on every keystroke: ~0.35 s of a 0.5 s budget). Same macro as the
-- loader (pipelines/sql/parse.sql contact_fold).
ALTER TABLE inquiries ADD COLUMN contact_norm VARCHAR;
UPDATE inquiries
SET contact_norm = contact_fold(inquiry_id, customer_name, target_phone, customer_email);
