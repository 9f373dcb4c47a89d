-- Every value row of the LAIT data set and of the extra sources (stg_extra_value_row), typed by one rule:
-- the same rules for both:
-- value_status: 'ok' for a number in range (value = the number, unchanged; parse_number in
-- macros/value_rules.sql is the rule), otherwise the status of the published symbol from
-- core.value_status (value NULL). Any other text, an out-of-range number included, is an error
-- (stg_value_problem), never a quiet NULL. LAIT rows whose period label is not a period go to core.period_quarantine instead;
-- in an extra source such a row is an error naming its file, row and column.
WITH published AS (
    SELECT 'bds' AS file, b.source_row, 'Values' AS value_column, 'Years' AS period_column,
           'Short Desc, LA Number, Years' AS key_columns,
           b.indicator_code, b.period_label, b.raw_value, d.area_code
    FROM {{ source('src', 'bds') }} AS b
    LEFT JOIN {{ ref('stg_data_area_code') }} AS d
           ON d.raw_code IS NOT DISTINCT FROM b.la_number AND d.area_name = trim(b.area_name)
    UNION ALL
    SELECT file, source_row, value_column, period_column, key_columns,
           indicator_code, period_label, raw_value, area_code
    FROM {{ ref('stg_extra_value_row') }}
),
value_text AS (
    -- each distinct published text is classified (and a number read) once: 55k texts, not 641k rows
    SELECT t.raw_value,
           CASE WHEN t.value IS NOT NULL THEN 'ok' ELSE s.value_status END AS value_status,
           t.value
    FROM (SELECT raw_value, parse_number(raw_value) AS value FROM (SELECT DISTINCT raw_value FROM published)) AS t
    LEFT JOIN {{ ref('value_status') }} AS s ON s.symbol = symbol_key(t.raw_value)
)
SELECT p.*, t.value_status, t.value
FROM published AS p
LEFT JOIN value_text AS t ON t.raw_value IS NOT DISTINCT FROM p.raw_value
