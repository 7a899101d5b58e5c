-- The office store's statements (SQLite), each headed by a '-- name:' line; values are parameters.

-- name: account_count
SELECT count(*) FROM accounts;

-- name: account_get
SELECT * FROM accounts WHERE name = :name;

-- name: account_list
SELECT * FROM accounts ORDER BY disabled, role, name;

-- name: account_insert
INSERT INTO accounts (name, display_name, role, lang, email, staff_names, password_hash, disabled,
                      created_at, changed_at)
VALUES (:name, :display_name, :role, :lang, :email, :staff_names, :password_hash, 0, :at, :at);

-- name: account_update
UPDATE accounts
SET display_name = :display_name, role = :role, lang = :lang, email = :email,
    staff_names = :staff_names, disabled = :disabled, changed_at = :at
WHERE name = :name;

-- name: account_password
UPDATE accounts SET password_hash = :password_hash, changed_at = :at WHERE name = :name;

-- name: owners_enabled
SELECT count(*) FROM accounts WHERE role = 'owner' AND disabled = 0;

-- name: attempt_get
SELECT failures, locked_until FROM login_attempts WHERE name = :name;

-- name: attempt_failed
INSERT INTO login_attempts (name, failures, locked_until) VALUES (:name, :failures, :locked_until)
ON CONFLICT (name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until;

-- name: attempt_clear
DELETE FROM login_attempts WHERE name = :name;

-- name: session_insert
INSERT INTO sessions (id_hash, name, created_at, last_seen_at) VALUES (:id_hash, :name, :at, :at);

-- name: session_get
SELECT s.name, s.last_seen_at FROM sessions AS s WHERE s.id_hash = :id_hash;

-- name: session_touch
UPDATE sessions SET last_seen_at = :at WHERE id_hash = :id_hash;

-- name: session_delete
DELETE FROM sessions WHERE id_hash = :id_hash;

-- name: sessions_of_delete
DELETE FROM sessions WHERE name = :name;

-- name: sessions_idle_delete
DELETE FROM sessions WHERE last_seen_at < :before;

-- name: audit_insert
INSERT INTO audit (at, who, kind, detail) VALUES (:at, :who, :kind, :detail);

-- name: audit_select
SELECT seq, at, who, kind, detail FROM audit
WHERE (:since IS NULL OR at >= :since)
  AND (:until IS NULL OR at < :until)
  AND (:who IS NULL OR who = :who)
  AND (:kind IS NULL OR kind = :kind)
ORDER BY seq;

-- name: audit_people
SELECT DISTINCT who FROM audit ORDER BY who;

-- name: mark_insert
INSERT INTO marks (inquiry_id, kind, list, day, reason, text, seen_event_at, takeover_from, undoes,
                   who, at)
VALUES (:inquiry_id, :kind, :list, :day, :reason, :text, :seen_event_at, :takeover_from, :undoes,
        :who, :at);

-- name: mark_holder
SELECT who, at FROM active_marks WHERE inquiry_id = :inquiry_id AND kind = 'claim'
ORDER BY seq DESC LIMIT 1;

-- name: mark_get
SELECT * FROM marks WHERE seq = :seq;

-- name: mark_last_active
-- The newest mark in force on an inquiry, of one kind and one list when they are given (a card's
-- Undo takes back the done mark of its own list, never a note).
SELECT * FROM active_marks
WHERE inquiry_id = :inquiry_id AND (:kind IS NULL OR kind = :kind)
  AND (:list IS NULL OR list = :list)
ORDER BY seq DESC LIMIT 1;

-- name: mark_is_undone
SELECT count(*) FROM marks WHERE undoes = :seq;

-- name: marks_version
SELECT coalesce(max(seq), 0) FROM marks;

-- name: marks_active_all
SELECT * FROM active_marks ORDER BY seq;

-- name: marks_active_of
SELECT * FROM active_marks WHERE inquiry_id = :inquiry_id ORDER BY seq;

-- name: marks_history_of
SELECT * FROM marks WHERE inquiry_id = :inquiry_id ORDER BY seq;

-- name: marks_excluded
SELECT DISTINCT inquiry_id FROM active_marks WHERE kind = 'not_inquiry' ORDER BY inquiry_id;
