-- The morning mail's record (pipelines/notify_cli.py): who got which day's mail, so that nobody gets
-- the same day twice. Made on first use inside the write that records a mail (not a numbered step, so
-- that it never collides with another branch's next step number).

-- name: notify_create
CREATE TABLE IF NOT EXISTS notify_sent (
    day     TEXT NOT NULL,   -- the day the mail is about (YYYY-MM-DD, Japan)
    account TEXT NOT NULL,   -- login name
    email   TEXT NOT NULL,
    sent_at TEXT NOT NULL,   -- Japan time, ISO 8601
    PRIMARY KEY (day, account)
)

-- name: notify_sent_on
SELECT account FROM notify_sent WHERE day = :day

-- name: notify_insert
INSERT OR IGNORE INTO notify_sent (day, account, email, sent_at) VALUES (:day, :account, :email, :sent_at)
