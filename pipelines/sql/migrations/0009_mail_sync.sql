-- Schema 9: the live mailbox (python -m pipelines sync). Per IMAP folder its UIDVALIDITY and the last
-- UID read; every message read, as its raw bytes (the mailbox import re-threads them all on each sync);
-- the review sheet of the last sync. Written only in the same all-or-nothing load as the logs' rows.
CREATE TABLE IF NOT EXISTS mail_folders (
    folder      VARCHAR   NOT NULL,  -- the IMAP folder's name as in the settings
    uidvalidity BIGINT    NOT NULL,
    last_uid    BIGINT    NOT NULL,  -- the highest UID read (0: none yet)
    synced_at   TIMESTAMP NOT NULL   -- Japan time
);

CREATE TABLE IF NOT EXISTS mail_messages (
    folder      VARCHAR NOT NULL,
    uidvalidity BIGINT  NOT NULL,
    uid         BIGINT  NOT NULL,
    raw         BLOB    NOT NULL     -- the message as the server gave it (RFC 5322 bytes)
);

CREATE TABLE IF NOT EXISTS mail_review (
    row_no      BIGINT  NOT NULL,
    thread      VARCHAR,
    inquiry_id  VARCHAR,
    direction   VARCHAR,
    date        VARCHAR,             -- Japan time as text, as on the review sheet
    sender      VARCHAR,
    recipients  VARCHAR,
    subject     VARCHAR,
    became      VARCHAR NOT NULL,
    why         VARCHAR,
    why_ja      VARCHAR,
    excerpt     VARCHAR,
    attachments VARCHAR,
    message_id  VARCHAR,
    source      VARCHAR,
    why_codes   VARCHAR
);
