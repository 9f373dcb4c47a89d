-- The councils and dates to judge for the inspection backtest (marts.backtest_inspection): the
-- inspected council as of each inspection's start date (only the figures published by then).
-- An inspection of a council split between several successors (current_area_code NULL) is left out.
SELECT as_of_key, current_area_code AS area_code, inspection_start_date AS as_of_date
FROM {{ ref('inspection_row') }}
WHERE current_area_code IS NOT NULL
