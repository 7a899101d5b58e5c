-- Accounts, login attempts, sessions and the append-only audit trail.
CREATE TABLE accounts (
    name TEXT PRIMARY KEY,              -- login name, lower case
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
    lang TEXT NOT NULL CHECK (lang IN ('en', 'ja')),
    email TEXT NOT NULL DEFAULT '',
    staff_names TEXT NOT NULL DEFAULT '[]',  -- JSON list: the names used in the logs' staff column
    password_hash TEXT NOT NULL,        -- argon2id
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,           -- UTC, ISO 8601
    changed_at TEXT NOT NULL
);

-- Failed logins per name (known or not), so a lock holds across processes and restarts.
CREATE TABLE login_attempts (
    name TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT                   -- UTC, ISO 8601; NULL when not locked
);

-- Signed-in browsers: the sha256 of each session id, never the id itself.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES accounts (name),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,                   -- UTC, ISO 8601 with seconds
    who TEXT NOT NULL,                  -- account name, or os:<user> for the command line
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'   -- JSON object
);
CREATE INDEX audit_at ON audit (at);

-- Append-only: rows can be added, never changed or removed.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
