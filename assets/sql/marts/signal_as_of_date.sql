-- The signal as of one date ($as_of_date; `peerdata early-warning --as-of`): every current
-- council, judged only on the figures published by that date (available_from <= as_of_date).
CREATE OR REPLACE TEMP TABLE as_of_point AS
SELECT 0 AS as_of_key, area_code, $as_of_date::DATE AS as_of_date
FROM core.dim_area
WHERE area_kind = 'la' AND is_current;
