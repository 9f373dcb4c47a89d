-- The councils and dates to judge for the signal backtest (marts.backtest_signal): every current
-- council as of 1 September of each year from 2018 to the year before the newest figures.
SELECT (y * 1000 + a.area_code)::INTEGER AS as_of_key, a.area_code, make_date(y, 9, 1) AS as_of_date
FROM {{ ref('dim_area') }} AS a
CROSS JOIN range(2018, (SELECT year(max(available_from)) - 1 FROM {{ ref('series_position') }})) AS r(y)
WHERE a.area_kind = 'la' AND a.is_current
