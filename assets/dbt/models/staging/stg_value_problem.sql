-- Rejected cells of the value rows (stg_value_row): a value that is neither a number in range nor
-- a published symbol, a blank indicator code, a period label that is not a period in an extra
-- source (LAIT's go to core.period_quarantine), and rows repeating an indicator, area and period.
SELECT file, source_row, value_column AS column_name, raw_value AS value,
       CASE WHEN is_number_text(raw_value) THEN number_problem(raw_value)
            ELSE 'not a number and not a published symbol (-, c, x, z, low, u, k, ..)' END AS problem,
       'error' AS severity
FROM {{ ref('stg_value_row') }} WHERE value_status IS NULL
UNION ALL
SELECT file, source_row, 'Short Desc', indicator_code, 'indicator code is blank', 'error'
FROM {{ ref('stg_value_row') }} WHERE file = 'bds' AND coalesce(trim(indicator_code), '') = ''
UNION ALL
SELECT r.file, r.source_row, r.period_column, r.period_label, p.rejected_reason, 'error'
FROM {{ ref('stg_value_row') }} AS r
JOIN {{ ref('stg_period') }} AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NOT NULL AND r.file <> 'bds'
UNION ALL
SELECT file, source_row, key_columns,
       indicator_code || ' / ' || coalesce(CAST(area_code AS VARCHAR), '?') || ' / ' || coalesce(period_label, '?'),
       'duplicate row: the same indicator, area and period appear ' || count(*) OVER w || ' times', 'error'
FROM {{ ref('stg_value_row') }}
-- an extra row with no area, or under a LAIT indicator's code, already has its error (stg_extra_value_problem)
WHERE file = 'bds' OR (area_code IS NOT NULL AND indicator_code NOT IN (SELECT indicator_code FROM {{ ref('stg_lait_code') }}))
WINDOW w AS (PARTITION BY indicator_code, area_code, period_label)
QUALIFY count(*) OVER w > 1
