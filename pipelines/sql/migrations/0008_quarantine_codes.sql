-- Schema 8: a quarantined row's reason is stored as codes and parameters (reason_code, reason_params:
-- a JSON array with one object per code, in the order of column_name), worded in the reader's language
-- when shown (pipelines.i18n.quarantine_text); the English sentence column `reason` is gone.
-- Older databases stored English sentences ("column: text; column: text"): each known template of
-- their history (load.sql, parse.sql, the readers) is read back here, once. A reason that does not read
-- completely becomes code legacy_text with the sentence as its parameter, shown as it was.
CREATE TEMP TABLE q_old AS SELECT row_number() OVER () AS rid, * FROM quarantine;

CREATE TEMP TABLE q_parts AS
WITH parts AS (
    SELECT rid, column_name, reason,
           CASE WHEN column_name IS NULL THEN [reason] ELSE string_split(reason, '; ') END AS texts,
           CASE WHEN column_name IS NULL THEN [NULL] ELSE string_split(column_name, ', ') END AS cols
    FROM q_old
),
one AS (
    SELECT rid, i, cols[i] AS col, texts[i] AS part, len(texts) = len(cols) AS aligned
    FROM parts, range(1, len(texts) + 1) AS r(i)
),
bare AS (  -- the sentence without its 'column: ' prefix (NULL when the prefix is not the column)
    SELECT rid, i, aligned,
           CASE WHEN col IS NULL THEN part
                WHEN starts_with(part, col || ': ') THEN substr(part, length(col) + 3) END AS s
    FROM one
),
read AS (
    SELECT rid, i, aligned, s,
        regexp_full_match(s, 'cannot read date(?:/time)? ".*"(?: \((no such day|no such time of day|impossible UTC offset)\))?') AS is_date,
        regexp_extract(s, '^cannot read date(?:/time)? "(.*)"(?: \((no such day|no such time of day|impossible UTC offset)\))?$', ['value', 'why']) AS d,
        regexp_extract(s, '^date out of range \(([0-9]+)–([0-9]+)\) "(.*)"$', ['first', 'last', 'value']) AS r,
        regexp_extract(s, '^unknown event kind "(.*)" \(expected (.*)\)$', ['value', 'expected']) AS e,
        regexp_extract(s, '^not a whole number of (yen|minutes) "(.*)"$', ['unit', 'value']) AS w,
        regexp_extract(s, '^negative (amount|minutes) \((.*)\)$', ['unit', 'value']) AS n,
        regexp_extract(s, '^implausibly many minutes \((.*) > 100000\)$', ['value']) AS m,
        regexp_extract(s, '^wrong column count: ([0-9]+) values where the header has ([0-9]+)$', ['found', 'width']) AS c,
        regexp_extract(s, '^formula (.*) has no stored value \(open the workbook in Excel and save it, so that its values are calculated\)$', ['value']) AS f
    FROM bare
)
SELECT rid, i, aligned,
    CASE
        WHEN s = 'required value is blank' THEN 'REQUIRED_BLANK'
        WHEN is_date THEN
            CASE d.why WHEN 'no such day' THEN 'DATE_NO_SUCH_DAY' WHEN 'no such time of day' THEN 'TIME_IMPOSSIBLE'
                       WHEN 'impossible UTC offset' THEN 'OFFSET_IMPOSSIBLE' ELSE 'DATE_UNREADABLE' END
        WHEN r.first <> '' THEN 'DATE_OUT_OF_RANGE'
        WHEN e.expected <> '' THEN 'EVENT_UNKNOWN'
        WHEN w.unit = 'yen' THEN 'AMOUNT_NOT_INTEGER'
        WHEN w.unit = 'minutes' THEN 'MINUTES_NOT_INTEGER'
        WHEN n.unit = 'amount' THEN 'AMOUNT_NEGATIVE'
        WHEN n.unit = 'minutes' THEN 'MINUTES_NEGATIVE'
        WHEN m.value <> '' THEN 'MINUTES_TOO_MANY'
        WHEN c.found <> '' THEN 'WRONG_COLUMN_COUNT'
        WHEN s = 'malformed quoting: a quote mark (") outside a properly quoted value; a value that holds " must be quoted, with each " doubled' THEN 'MALFORMED_QUOTING'
        WHEN s IN ('malformed quoting: a quote mark (") opens a value that never closes (the row runs to the end of the file)',
                   'malformed quoting (a quote mark opens a value that never closes properly)') THEN 'UNTERMINATED_QUOTE'
        WHEN s = 'malformed line break: a CR outside quotes inside the row (a value with line breaks must be quoted)' THEN 'BARE_CR'
        WHEN f.value <> '' THEN 'FORMULA_WITHOUT_VALUE'
    END AS code,
    CASE
        WHEN is_date THEN json_object('value', d.value)
        WHEN r.first <> '' THEN json_object('first', CAST(r.first AS INTEGER), 'last', CAST(r.last AS INTEGER), 'value', r.value)
        WHEN e.expected <> '' THEN json_object('value', e.value, 'expected', e.expected)
        WHEN w.unit <> '' THEN json_object('value', w.value)
        WHEN n.unit <> '' THEN json_object('value', n.value)
        WHEN m.value <> '' THEN json_object('value', m.value)
        WHEN c.found <> '' THEN json_object('found', CAST(c.found AS INTEGER), 'width', CAST(c.width AS INTEGER))
        WHEN f.value <> '' THEN json_object('value', f.value)
        ELSE json_object()
    END AS params
FROM read;

CREATE TEMP TABLE q_read AS
SELECT rid,
       bool_and(aligned AND code IS NOT NULL) AS readable,
       string_agg(code, ', ' ORDER BY i) AS codes,
       to_json(list(params ORDER BY i)) AS params
FROM q_parts GROUP BY rid;

CREATE TABLE quarantine_coded (
    load_id       INTEGER NOT NULL,
    file_name     VARCHAR NOT NULL,
    sheet         VARCHAR,                -- .xlsx sheet, NULL for CSV
    line          BIGINT,                 -- physical line (CSV) or row number (xlsx) where the row starts
    raw           VARCHAR,                -- the row as it was in the file
    column_name   VARCHAR,                -- the column(s) at fault, when one is (', ' between them)
    reason_code   VARCHAR NOT NULL,       -- pipelines.readers.REASONS codes, in the order of column_name
    reason_params JSON    NOT NULL        -- [{…}, …]: each code's parameters, in the same order
);

INSERT INTO quarantine_coded
SELECT o.load_id, o.file_name, o.sheet, o.line, o.raw, o.column_name,
       CASE WHEN q.readable THEN q.codes ELSE 'legacy_text' END,
       CASE WHEN q.readable THEN q.params ELSE to_json([json_object('text', o.reason)]) END
FROM q_old AS o JOIN q_read AS q USING (rid)
ORDER BY o.rid;

DROP TABLE quarantine;
ALTER TABLE quarantine_coded RENAME TO quarantine;
DROP TABLE q_old;
DROP TABLE q_parts;
DROP TABLE q_read;
