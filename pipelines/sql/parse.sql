-- Parsing macros used by the loader (and by the tests of the date parser).
-- nfkc(s) is a vectorised Python function registered on every connection (pipelines.definitions.prepare).

-- White space of every kind, and zero-width characters: the same sets as pipelines.jptext
-- (WHITESPACE, ZERO_WIDTH; a test checks they agree); a value made only of them is blank.
CREATE OR REPLACE TEMP MACRO ascii_ws() AS chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || ' ';
CREATE OR REPLACE TEMP MACRO ws_chars() AS ascii_ws() || chr(133) || chr(160) || chr(5760)
    || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198)
    || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239)
    || chr(8287) || chr(12288);
CREATE OR REPLACE TEMP MACRO zw_chars() AS chr(8203) || chr(8204) || chr(8205) || chr(8288) || chr(65279);

-- Text without zero-width characters and without white space (or zero-width characters) at either
-- end, as the Arrow text_clean() of pipelines.jptext: one regular expression that names the text once
-- (a macro argument used several times is planned and evaluated as many times).
SET VARIABLE untidy = '^[' || ws_chars() || zw_chars() || ']+|[' || ws_chars() || zw_chars() || ']+$|['
    || zw_chars() || ']';
CREATE OR REPLACE TEMP MACRO tidy(x) AS regexp_replace(x, getvariable('untidy'), '', 'g');
-- ASCII text without surrounding white space.
CREATE OR REPLACE TEMP MACRO tidy_ascii(s) AS CASE
    WHEN ascii(s) <= 32 OR ascii(right(s, 1)) <= 32 THEN trim(s, ascii_ws())
    ELSE s
END;

-- nfkc(s) only for text that holds a character NFKC may change (pipelines.nfkc_ranges): the rest is
-- its own NFKC, tested by DuckDB's regular expressions without crossing into Python.
CREATE OR REPLACE TEMP MACRO nfkc_fast(s) AS CASE
    WHEN getvariable('nfkc_changeable') IS NULL OR regexp_matches(s, getvariable('nfkc_changeable'))
        THEN nfkc(s)
    ELSE s
END;

-- Trim and fold full-width characters, drop zero-width ones; blank becomes NULL. ASCII text (byte
-- length = character length) needs no folding, which spares the Python function almost every cell.
-- For IDs, dates, numbers and event kinds: the loader folds each such column once (load.sql) and
-- parses the fold. Short values that are not ASCII mostly change (full-width digits) or are event
-- kinds, so they go to nfkc() without nfkc_fast's test (a test costs 3 ms to plan, per use).
CREATE OR REPLACE TEMP MACRO jp_fold(s) AS nullif(CASE
    WHEN s IS NULL OR strlen(s) = length(s) THEN tidy_ascii(s)
    ELSE tidy(nfkc(s))
END, '');

-- Text folded for matching: NFKC and lower case (message_norm; a search text is folded the same way
-- by pipelines.queries.search_key).
CREATE OR REPLACE TEMP MACRO match_fold(s) AS lower(nfkc_fast(s));
-- An inquiry's ID, name, phone and e-mail folded for search, stored at load (contact_norm); '|'
-- between them, so that ignoring hyphens and spaces never joins one field's end to the next's start.
-- The name is kept without white space of any width or zero-width characters (「松本　誠」 is stored as
-- 松本誠), so a name typed with or without a space finds it (pipelines.queries.name_key).
CREATE OR REPLACE TEMP MACRO name_fold(s) AS
    translate(nfkc_fast(s), ws_chars() || zw_chars(), '');
-- contact_key takes the name already folded (name_fold, in a query level below: match_fold names its
-- text three times, so a name folded inside it would be folded, and planned, three times over).
CREATE OR REPLACE TEMP MACRO contact_key(inquiry_id, name_key, target_phone, customer_email) AS
    match_fold(concat_ws('|', inquiry_id, name_key, target_phone, customer_email));
CREATE OR REPLACE TEMP MACRO contact_fold(inquiry_id, customer_name, target_phone, customer_email) AS
    contact_key(inquiry_id, name_fold(customer_name), target_phone, customer_email);

-- A value that holds nothing but white space and zero-width characters (jptext.is_blank).
CREATE OR REPLACE TEMP MACRO blank_text(s) AS s IS NULL OR trim(s, ws_chars() || zw_chars()) = '';

-- The parts of a Japanese or ISO date/time from its folded text (jp_fold): year (or era + year),
-- month, day, time, offset.
CREATE OR REPLACE TEMP MACRO ts_parts(f) AS regexp_extract(
    upper(f),
    '^((?:\d{4})|(?:(?:令和|平成|R|H)\s*(?:\d{1,2}|元)))\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?\s*(?:\([^)]{1,4}\))?\s*(?:T?\s*(\d{1,2})\s*[:時]\s*(\d{1,2})?\s*分?\s*(?::(\d{1,2})(?:\.\d{1,9})?|(\d{1,2})\s*秒)?)?\s*(Z|[+-]\d{2}:?\d{2})?$',
    ['y', 'm', 'd', 'hh', 'mi', 'ss', 'ss2', 'tz']
);

-- Western year from '2026', '令和8', 'R8', '平成31', 'H31', '令和元'.
CREATE OR REPLACE TEMP MACRO era_year(y) AS CASE
    WHEN regexp_matches(y, '^\d{4}$') THEN y::INTEGER
    WHEN left(y, 1) IN ('令', 'R') THEN 2018 + CASE WHEN y LIKE '%元' THEN 1 ELSE regexp_extract(y, '\d+')::INTEGER END
    WHEN left(y, 1) IN ('平', 'H') THEN 1988 + CASE WHEN y LIKE '%元' THEN 1 ELSE regexp_extract(y, '\d+')::INTEGER END
END;

-- Minutes east of UTC of 'Z', '+09:00', '-0530'.
CREATE OR REPLACE TEMP MACRO tz_minutes(tz) AS CASE
    WHEN tz = 'Z' THEN 0
    ELSE (CASE WHEN left(tz, 1) = '-' THEN -1 ELSE 1 END)
         * (substr(tz, 2, 2)::INTEGER * 60 + right(tz, 2)::INTEGER)
END;

-- A time of day that exists (24:00 and second 60 do not) and an offset within ±14:00.
CREATE OR REPLACE TEMP MACRO time_ok(p) AS
    coalesce(nullif(p.hh, '')::INTEGER, 0) < 24
    AND coalesce(nullif(p.mi, '')::INTEGER, 0) < 60
    AND coalesce(nullif(p.ss, '')::INTEGER, nullif(p.ss2, '')::INTEGER, 0) < 60;
CREATE OR REPLACE TEMP MACRO tz_ok(tz) AS CASE
    WHEN tz IN ('', 'Z') THEN true
    ELSE right(tz, 2)::INTEGER < 60 AND abs(tz_minutes(tz)) <= 14 * 60
END;

CREATE OR REPLACE TEMP MACRO ts_from_parts(p) AS CASE WHEN p.y <> '' AND time_ok(p) AND tz_ok(p.tz) THEN
    try(make_timestamp(
        era_year(p.y), p.m::INTEGER, p.d::INTEGER,
        coalesce(nullif(p.hh, '')::INTEGER, 0),
        coalesce(nullif(p.mi, '')::INTEGER, 0),
        coalesce(nullif(p.ss, '')::INTEGER, nullif(p.ss2, '')::INTEGER, 0)::DOUBLE
    )) + to_minutes(CASE WHEN p.tz = '' THEN 0 ELSE 540 - tz_minutes(p.tz) END)
END;

-- A date/time as Japan time, or NULL when it cannot be read.
-- Plain ISO and slash styles take the strptime fast path on the raw text (CASE evaluates lazily,
-- COALESCE does not); everything else the regular expression on the folded text, bound once through
-- a lambda (a macro argument used several times would be evaluated several times). The loader folds
-- each column once and calls fast_ts and ts_folded itself (load.sql); parse_ts is the one-value form.
-- The fast path's styles, by the number of colons in the text: no style accepts a text that any other
-- accepts (a colon is only ever a literal of the style), and a style that fails costs 0.5 µs, so each
-- text tries only the styles with as many colons as it has (5 s less per million ISO times with an
-- offset, 1-2 s per million plain dates).
CREATE OR REPLACE TEMP MACRO fast_ts(s) AS CASE
    WHEN s NOT LIKE '%:%' THEN try_strptime(s, ['%Y-%m-%d', '%Y/%m/%d'])
    WHEN s NOT LIKE '%:%:%' THEN try_strptime(s, ['%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M', '%Y/%m/%d %H:%M'])
    WHEN s NOT LIKE '%:%:%:%'
        THEN try_strptime(s, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y/%m/%d %H:%M:%S'])
END;
CREATE OR REPLACE TEMP MACRO ts_folded(f) AS list_transform([ts_parts(f)], lambda p: ts_from_parts(p))[1];
CREATE OR REPLACE TEMP MACRO parse_ts(s) AS CASE
    WHEN fast_ts(s) IS NOT NULL THEN fast_ts(s)
    ELSE ts_folded(jp_fold(s))
END;

-- Why ts_folded(f) is NULL for a folded value f that is not NULL: a code of pipelines.readers.REASONS.
CREATE OR REPLACE TEMP MACRO ts_problem(f) AS list_transform([ts_parts(f)], lambda p: CASE
    WHEN p.y = '' THEN 'DATE_UNREADABLE'
    WHEN NOT time_ok(p) THEN 'TIME_IMPOSSIBLE'
    WHEN NOT tz_ok(p.tz) THEN 'OFFSET_IMPOSSIBLE'
    ELSE 'DATE_NO_SUCH_DAY'
END)[1];

-- Dates this product accepts as real (anything else is a typo such as year 9999).
CREATE OR REPLACE TEMP MACRO ts_in_range(t) AS
    CAST(t AS DATE) BETWEEN getvariable('first_date') AND getvariable('last_date');

-- A whole number written plainly or with correct thousands separators: '1200', '1,200', '-5'
-- ('1,2,3,4' and '12,00' are not numbers).
CREATE OR REPLACE TEMP MACRO int_strict(x) AS CASE
    WHEN regexp_full_match(x, '[+-]?(?:[0-9]{1,15}|[0-9]{1,3}(?:,[0-9]{3}){1,4})')
    THEN CAST(replace(x, ',', '') AS BIGINT)
END;
-- A number written as plain digits, read from the raw text (the fast path of the two below).
CREATE OR REPLACE TEMP MACRO int_plain(s) AS CASE
    WHEN regexp_full_match(s, '[0-9]{1,15}') THEN CAST(s AS BIGINT)
END;
-- Yen from the folded text of '12000', '12,000', '１２，０００', '¥12,000', '12,000円' (one sign, one
-- suffix); NULL when blank or unreadable ('12000円円').
CREATE OR REPLACE TEMP MACRO yen_folded(f) AS
    list_transform([regexp_replace(f, '^[¥\\]\s*|\s*円$', '', 'g')], lambda x: int_strict(x))[1];
-- Minutes from the folded text of '15', '15分', '１５'; NULL when blank or unreadable.
CREATE OR REPLACE TEMP MACRO minutes_folded(f) AS
    list_transform([regexp_replace(f, '\s*分$', '')], lambda x: int_strict(x))[1];

-- An event's identity: every column of it, its note too. 127 bits of an md5, as a signed HUGEINT
-- (written far faster than hex text and readable by pandas, unlike UHUGEINT). An event without a note
-- keeps the key earlier versions stored (they left the note out).
CREATE OR REPLACE TEMP MACRO event_key(inquiry_id, event_at, event, amount_jpy, staff, staff_minutes, note) AS
    CAST(md5_number(concat_ws('|', inquiry_id, strftime(event_at, '%Y-%m-%d %H:%M:%S'), event,
        coalesce(amount_jpy::VARCHAR, ''), coalesce(staff, ''), coalesce(staff_minutes, 0)::VARCHAR,
        note)) >> 1 AS HUGEINT);  -- concat_ws skips a NULL note

-- The CSV text of a row rebuilt from its cells (for quarantine of rows read by DuckDB).
CREATE OR REPLACE TEMP MACRO csv_cell(c) AS CASE
    WHEN c IS NULL THEN ''
    WHEN regexp_matches(c, '[",\r\n]') THEN '"' || replace(c, '"', '""') || '"'
    ELSE c
END;
