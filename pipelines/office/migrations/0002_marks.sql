-- The office's marks (SPEC "The office's marks"): one append-only row per mark. Nothing is ever
-- changed or removed; an undo is a row of its own naming the mark it takes back (`undoes`), so the
-- current state is "every mark no undo names" (the view active_marks) and the history is the table.
CREATE TABLE marks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    inquiry_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('claim', 'done', 'snooze', 'note', 'not_inquiry', 'undo')),
    list TEXT,                          -- done: the staff list the item was handled on
    day TEXT,                           -- done: the day A (YYYY-MM-DD); snooze: off the lists until it
    reason TEXT CHECK (reason IS NULL OR reason IN ('spam', 'duplicate', 'test', 'own_mail', 'other')),
    text TEXT NOT NULL DEFAULT '',      -- note: its text; not_inquiry: the explanation
    seen_event_at TEXT,                 -- done: the inquiry's latest event when marked (NULL: none)
    takeover_from TEXT,                 -- claim: the holder it was taken from
    undoes INTEGER REFERENCES marks (seq),  -- undo: the mark it takes back
    who TEXT NOT NULL,                  -- account name, or os:<user> without accounts
    at TEXT NOT NULL                    -- UTC, ISO 8601 with seconds
);
CREATE INDEX marks_inquiry ON marks (inquiry_id, seq);
-- A mark is taken back at most once.
CREATE UNIQUE INDEX marks_undone_once ON marks (undoes) WHERE undoes IS NOT NULL;

CREATE TRIGGER marks_no_update BEFORE UPDATE ON marks
BEGIN SELECT RAISE(ABORT, 'marks are append-only: undo is a new row'); END;
CREATE TRIGGER marks_no_delete BEFORE DELETE ON marks
BEGIN SELECT RAISE(ABORT, 'marks are append-only: undo is a new row'); END;

-- Marks in force: every mark but undos and the marks an undo took back.
CREATE VIEW active_marks AS
SELECT m.* FROM marks AS m
WHERE m.kind <> 'undo' AND NOT EXISTS (SELECT 1 FROM marks AS u WHERE u.undoes = m.seq);
