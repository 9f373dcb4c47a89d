-- The signal as of the current release: every current council, every indicator with positions,
-- judged on every figure the release carries (the release is the publication, so no lag applies).
CREATE OR REPLACE TEMP TABLE as_of_point AS
SELECT 0 AS as_of_key, area_code, DATE '9999-12-31' AS as_of_date
FROM core.dim_area
WHERE area_kind = 'la' AND is_current;

CREATE OR REPLACE TEMP TABLE signal_indicator AS
SELECT DISTINCT indicator_code FROM marts.series_position;
