-- core.fact_indicator_value: one row per indicator, area and period as published.
-- value_status: 'ok' for a number (value = the number, unchanged), otherwise the status of the
-- published symbol from staging.value_status (value NULL). Any other text is an error, never a
-- quiet NULL. Rows whose period label is not a period go to core.period_quarantine instead.
CREATE OR REPLACE TABLE staging.bds_row AS
SELECT b.source_row, b.indicator_code, b.period_label, b.raw_value, b.la_number,
       d.area_code,
       CASE WHEN regexp_full_match(trim(b.raw_value), '[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?') THEN 'ok'
            ELSE s.value_status END AS value_status
FROM src.bds AS b
LEFT JOIN staging.data_area_code AS d
       ON d.raw_code IS NOT DISTINCT FROM b.la_number AND d.area_name = trim(b.area_name)
LEFT JOIN staging.value_status AS s ON s.symbol = lower(trim(b.raw_value));

CREATE OR REPLACE TABLE staging.fact_indicator_value AS
SELECT r.indicator_code, r.area_code, r.period_label,
       p.period_start_year, p.period_end_year, p.period_kind, p.period_status, p.period_order,
       CASE WHEN r.value_status = 'ok' THEN CAST(trim(r.raw_value) AS DOUBLE) END AS value,
       r.value_status, r.raw_value
FROM staging.bds_row AS r
JOIN staging.period AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NULL
ORDER BY r.indicator_code, r.area_code, p.period_order;

CREATE OR REPLACE TABLE staging.period_quarantine AS
SELECT r.source_row, r.indicator_code, r.area_code, r.period_label, r.raw_value, p.rejected_reason AS reason
FROM staging.bds_row AS r
JOIN staging.period AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NOT NULL
ORDER BY r.source_row;

INSERT INTO staging.source_problem
SELECT 'bds', source_row, 'Values', raw_value,
       'not a number and not a published symbol (-, c, x, z, low, u, k, ..)', 'error'
FROM staging.bds_row WHERE value_status IS NULL
UNION ALL
SELECT 'bds', source_row, 'Short Desc', indicator_code, 'indicator code is blank', 'error'
FROM staging.bds_row WHERE coalesce(trim(indicator_code), '') = ''
UNION ALL
SELECT 'bds', source_row, 'Short Desc, LA Number, Years',
       indicator_code || ' / ' || coalesce(CAST(area_code AS VARCHAR), '?') || ' / ' || coalesce(period_label, '?'),
       'duplicate row: the same indicator, area and period appear ' || count(*) OVER w || ' times', 'error'
FROM staging.bds_row
WINDOW w AS (PARTITION BY indicator_code, area_code, period_label)
QUALIFY count(*) OVER w > 1;
