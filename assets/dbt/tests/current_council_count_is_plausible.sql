-- current_council_count_is_plausible: the offending rows (the test passes when there are none). Properties in models/core/dim_area.yml.
SELECT count(*) AS current_councils FROM {{ ref('dim_area') }} WHERE is_current HAVING count(*) < 140
