-- The signal as of 1 September of each year from 2018 to the year before the newest figures
-- (the flag backtest): every current council, the headline indicators with a polarity.
CREATE OR REPLACE TEMP TABLE as_of_point AS
SELECT (y * 1000 + a.area_code)::INTEGER AS as_of_key, a.area_code, make_date(y, 9, 1) AS as_of_date
FROM core.dim_area AS a
CROSS JOIN range(2018, (SELECT year(max(available_from)) - 1 FROM marts.series_position)) AS r(y)
WHERE a.area_kind = 'la' AND a.is_current;
