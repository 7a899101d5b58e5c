-- The business-day calendar (pipelines.definitions.ensure_calendar; pipelines.calendar says which
-- days are public holidays and which month-days the office is closed).

-- name: business_days
-- One row per calendar day $first–$last under the calendar key $key: a weekday (Monday–Friday)
-- that is neither a public holiday ($holidays, dates) nor a closed day ($closed, month * 100 + day)
-- is a business day; business_day_index counts the business days up to and including the day.
-- (The rows; ensure_calendar inserts them into the table the connection's business_days reads.)
WITH holidays AS (SELECT unnest(CAST($holidays AS DATE[])) AS day),
     closed AS (SELECT unnest(CAST($closed AS INTEGER[])) AS month_day),
     days AS (
         SELECT CAST(range AS DATE) AS day
         FROM range(CAST($first AS TIMESTAMP), CAST($last AS TIMESTAMP) + INTERVAL 1 DAY,
                    INTERVAL 1 DAY)
     ),
     marked AS (
         SELECT day,
                isodow(day) <= 5
                AND day NOT IN (SELECT day FROM holidays)
                AND month(day) * 100 + dayofmonth(day) NOT IN (SELECT month_day FROM closed)
                    AS is_business_day
         FROM days
     )
SELECT $key, day, is_business_day,
       sum(CAST(is_business_day AS BIGINT)) OVER (ORDER BY day) AS business_day_index
FROM marked
