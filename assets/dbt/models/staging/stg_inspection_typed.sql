-- The landed inspections files' rows (src.inspection_rows, read by assets/inspections/read.py:
-- dates as yyyy-mm-dd text, grades in lower case) with the LA code and the dates typed.
SELECT r.*,
       area_number(r.la_code) AS area_code,  -- the one rule for LA numbers (macros/value_rules.sql)
       TRY_CAST(r.inspection_start_date AS DATE) AS start_date,
       TRY_CAST(r.inspection_end_date AS DATE) AS end_date,
       TRY_CAST(r.publication_date AS DATE) AS published_date
FROM {{ source('src', 'inspection_rows') }} AS r
