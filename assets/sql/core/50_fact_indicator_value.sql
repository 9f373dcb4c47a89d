-- core.fact_indicator_value: one row per indicator, area and period as published, from the LAIT
-- data set and the extra sources (staging.extra_value_row), by the same rules:
-- value_status: 'ok' for a number (value = the number, unchanged), otherwise the status of the
-- published symbol from staging.value_status (value NULL). Any other text is an error, never a
-- quiet NULL. LAIT rows whose period label is not a period go to core.period_quarantine instead;
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
)
SELECT p.*,
       CASE WHEN is_number(p.raw_value) THEN 'ok' ELSE s.value_status END AS value_status
FROM published AS p
LEFT JOIN staging.value_status AS s ON s.symbol = lower(trim(p.raw_value));

CREATE OR REPLACE TABLE staging.fact_indicator_value AS
SELECT r.indicator_code, r.area_code, r.period_label,
       p.period_start_year, p.period_end_year, p.period_kind, p.period_status, p.period_order,
       CASE WHEN r.value_status = 'ok' THEN CAST(trim(r.raw_value) AS DOUBLE) END AS value,
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

INSERT INTO staging.source_problem
SELECT file, source_row, value_column, raw_value,
       'not a number and not a published symbol (-, c, x, z, low, u, k, ..)', 'error'
FROM staging.value_row WHERE value_status IS NULL
UNION ALL
SELECT file, source_row, 'Short Desc', indicator_code, 'indicator code is blank', 'error'
FROM staging.value_row WHERE file = 'bds' AND coalesce(trim(indicator_code), '') = ''
UNION ALL
SELECT r.file, r.source_row, r.period_column, r.period_label, p.rejected_reason, 'error'
FROM staging.value_row AS r
JOIN staging.period AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NOT NULL AND r.file <> 'bds'
UNION ALL
SELECT file, source_row, key_columns,
       indicator_code || ' / ' || coalesce(CAST(area_code AS VARCHAR), '?') || ' / ' || coalesce(period_label, '?'),
       'duplicate row: the same indicator, area and period appear ' || count(*) OVER w || ' times', 'error'
FROM staging.value_row
WHERE file = 'bds' OR area_code IS NOT NULL  -- an extra row with no area already has its error
WINDOW w AS (PARTITION BY indicator_code, area_code, period_label)
QUALIFY count(*) OVER w > 1;
