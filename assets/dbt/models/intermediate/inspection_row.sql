-- core.inspection numbered: as_of_key = the inspection's rank by end date and council (the key
-- the backtest's signal and score are joined back on). Empty when no inspections are configured.
SELECT row_number() OVER (ORDER BY inspection_end_date, current_area_code)::INTEGER AS as_of_key,
       current_area_code, local_authority, inspection_start_date, inspection_end_date,
       overall_grade, overall_effectiveness
FROM {{ ref('inspection') }}
