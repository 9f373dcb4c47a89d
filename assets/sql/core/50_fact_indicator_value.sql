-- core.fact_indicator_value: one row per indicator, area and period as published, from the LAIT
-- data set and the extra sources (staging.extra_value_row), by the same rules:
-- value_status: 'ok' for a number in range (value = the number, unchanged; parse_number in
-- 00_reference.sql is the rule), otherwise the status of the published symbol from
-- staging.value_status (value NULL). Any other text, an out-of-range number included, is an error
-- (60_value_problems.sql), never a quiet NULL. LAIT rows whose period label is not a period go to core.period_quarantine instead;
-- in an extra source such a row is an error naming its file, row and column.
CREATE OR REPLACE TABLE staging.value_row AS
WITH published AS (
    SELECT 'bds' AS file, b.source_row, 'Values' AS value_column, 'Years' AS period_column,
           'Short Desc, LA Number, Years' AS key_columns,
           b.indicator_code, b.period_label, b.raw_value, d.area_code
    FROM src.bds AS b
    LEFT JOIN staging.data_area_code AS d
           ON d.raw_code IS NOT DISTINCT FROM b.la_number AND d.area_name = trim(b.area_name)
    UNION ALL
    SELECT file, source_row, value_column, period_column, key_columns,
           indicator_code, period_label, raw_value, area_code
    FROM staging.extra_value_row
),
value_text AS (
    -- each distinct published text is classified (and a number read) once: 55k texts, not 641k rows
    SELECT t.raw_value,
           CASE WHEN t.value IS NOT NULL THEN 'ok' ELSE s.value_status END AS value_status,
           t.value
    FROM (SELECT raw_value, parse_number(raw_value) AS value FROM (SELECT DISTINCT raw_value FROM published)) AS t
    LEFT JOIN staging.value_status AS s ON s.symbol = symbol_key(t.raw_value)
)
SELECT p.*, t.value_status, t.value
FROM published AS p
LEFT JOIN value_text AS t ON t.raw_value IS NOT DISTINCT FROM p.raw_value;

CREATE OR REPLACE TABLE staging.fact_indicator_value AS
SELECT r.indicator_code, r.area_code, r.period_label,
       p.period_start_year, p.period_end_year, p.period_kind, p.period_status, p.period_order,
       r.value,
       r.value_status, r.raw_value
FROM staging.value_row AS r
JOIN staging.period AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NULL
ORDER BY r.indicator_code, r.area_code, p.period_order;

CREATE OR REPLACE TABLE staging.period_quarantine AS
SELECT r.source_row, r.indicator_code, r.area_code, r.period_label, r.raw_value, p.rejected_reason AS reason
FROM staging.value_row AS r
JOIN staging.period AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NOT NULL AND r.file = 'bds'
ORDER BY r.source_row;
