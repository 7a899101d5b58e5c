-- Parsing macros used by the loader (and by the tests of the date parser).
-- nfkc(s) is a vectorised Python function registered on every connection (pipelines.db).

-- Trim and fold full-width characters; blank becomes NULL. ASCII text (byte length = character
-- length) needs no folding, which spares the Python function almost every cell.
CREATE OR REPLACE TEMP MACRO jp_fold(s) AS
    nullif(trim(CASE WHEN s IS NULL OR strlen(s) = length(s) THEN s ELSE nfkc(s) END), '');

-- The parts of a Japanese or ISO date/time: year (or era + year), month, day, time, offset.
CREATE OR REPLACE TEMP MACRO ts_parts(s) AS regexp_extract(
    upper(jp_fold(s)),
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

CREATE OR REPLACE TEMP MACRO ts_from_parts(p) AS CASE WHEN p.y <> '' THEN
    try(make_timestamp(
        era_year(p.y), p.m::INTEGER, p.d::INTEGER,
        coalesce(nullif(p.hh, '')::INTEGER, 0),
        coalesce(nullif(p.mi, '')::INTEGER, 0),
        coalesce(nullif(p.ss, '')::INTEGER, nullif(p.ss2, '')::INTEGER, 0)::DOUBLE
    )) + to_minutes(CASE WHEN p.tz = '' THEN 0 ELSE 540 - tz_minutes(p.tz) END)
END;

-- A date/time as Japan time, or NULL when it cannot be read.
-- Plain ISO and slash styles take the strptime fast path (CASE evaluates lazily, COALESCE does not);
-- everything else the regular expression, bound once through a lambda (a macro argument used
-- several times would be evaluated several times).
CREATE OR REPLACE TEMP MACRO fast_ts(s) AS try_strptime(s, [
    '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M', '%Y-%m-%d',
    '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d']);
CREATE OR REPLACE TEMP MACRO parse_ts(s) AS CASE
    WHEN fast_ts(s) IS NOT NULL THEN fast_ts(s)
    ELSE list_transform([ts_parts(s)], lambda p: ts_from_parts(p))[1]
END;

-- Dates this product accepts as real (anything else is a typo such as year 9999).
CREATE OR REPLACE TEMP MACRO ts_in_range(t) AS
    CAST(t AS DATE) BETWEEN getvariable('first_date') AND getvariable('last_date');

-- A whole number from '1,200', '１２００', '¥1,200', '1200円', '15分'; NULL when blank or unreadable.
CREATE OR REPLACE TEMP MACRO int_text(s) AS regexp_replace(jp_fold(s), '^[¥\\]|[,円]|分$', '', 'g');
CREATE OR REPLACE TEMP MACRO parse_int(s) AS CASE
    WHEN regexp_full_match(s, '[0-9]{1,15}') THEN CAST(s AS BIGINT)
    ELSE list_transform([int_text(s)], lambda x:
        CASE WHEN regexp_full_match(x, '[+-]?[0-9]{1,15}') THEN CAST(x AS BIGINT) END)[1]
END;

-- The CSV text of a row rebuilt from its cells (for quarantine of rows read by DuckDB).
CREATE OR REPLACE TEMP MACRO csv_cell(c) AS CASE
    WHEN c IS NULL THEN ''
    WHEN regexp_matches(c, '[",\r\n]') THEN '"' || replace(c, '"', '""') || '"'
    ELSE c
END;
