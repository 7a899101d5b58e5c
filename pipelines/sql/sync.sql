-- The live mailbox's state (pipelines/sync.py). Tables: pipelines/sql/migrations/0009_mail_sync.sql.

-- name: folders
SELECT folder, uidvalidity, last_uid FROM mail_folders ORDER BY folder;

-- name: messages
SELECT folder, uid, raw FROM mail_messages ORDER BY folder, uid;

-- name: forget_folder
-- A folder whose UIDVALIDITY changed is read again from its first message: its old copies go.
DELETE FROM mail_messages WHERE folder = $folder AND uidvalidity <> $uidvalidity;

-- name: insert_messages
INSERT INTO mail_messages (folder, uidvalidity, uid, raw)
SELECT folder, uidvalidity, uid, raw FROM new_mail AS n
WHERE NOT EXISTS (
    SELECT 1 FROM mail_messages AS m
    WHERE m.folder = n.folder AND m.uidvalidity = n.uidvalidity AND m.uid = n.uid
);

-- name: delete_folder_state
DELETE FROM mail_folders WHERE folder = $folder;

-- name: insert_folder_state
INSERT INTO mail_folders (folder, uidvalidity, last_uid, synced_at)
VALUES ($folder, $uidvalidity, $last_uid, $synced_at);

-- name: clear_review
DELETE FROM mail_review;

-- name: insert_review
INSERT INTO mail_review SELECT * FROM new_review;

-- name: review
SELECT row_no, date, sender, subject, became, why, why_ja FROM mail_review
WHERE became = 'not used' ORDER BY row_no;

-- name: known_inquiries
SELECT inquiry_id FROM inquiries;
