-- The signal as of each inspection's start date (the backtest): the inspected council, the
-- headline indicators with a polarity, only the figures published by that date (available_from).
-- inspection_row: core.inspection with as_of_key = its row number (assets/marts/backtest.py).
-- An inspection of a council split between several successors (current_area_code NULL) is left out.
CREATE OR REPLACE TEMP TABLE as_of_point AS
SELECT as_of_key, current_area_code AS area_code, inspection_start_date AS as_of_date
FROM inspection_row
WHERE current_area_code IS NOT NULL;
