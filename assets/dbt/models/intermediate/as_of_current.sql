-- The councils and date to judge as of the current release: every current council, on every
-- figure the release carries (the release is the publication, so no lag applies: the date is
-- the end of time). as_of_key 0 (one date).
SELECT 0 AS as_of_key, area_code, DATE '9999-12-31' AS as_of_date
FROM {{ ref('dim_area') }}
WHERE area_kind = 'la' AND is_current
