-- Schema 7: names in the search fold lose their white space of every width (「松本　誠」 → 松本誠), so
-- 「松本誠」 and 「田中 一郎」 find them (pipelines/sql/parse.sql contact_fold, the loader's macro).
UPDATE inquiries
SET contact_norm = contact_fold(inquiry_id, customer_name, target_phone, customer_email);
