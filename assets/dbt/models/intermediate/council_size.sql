-- The council's size behind each indicator's noise (docs/methods.md, "The signal"): one row per size
-- measure, council and year. The measures: each count var('noise_denominators') names (referrals,
-- plans starting, children looked after, care leavers), as published; and 'child_population', the
-- council's children aged 0-17, which LAIT does not publish but implies: 10,000 x LACnum (children
-- looked after at 31 March) / LAC (the same per 10,000 children), for the same year.
WITH value AS (
    -- one value per count, council and year (the newest period label of the year: a revised figure)
    SELECT indicator_code, area_code, period_end_year, arg_max(value, period_order) AS value
    FROM {{ ref('benchmark') }}
    WHERE indicator_code IN ('LACnum', 'LAC'
          {%- for denominator in var('noise_denominators').values() | unique %}, '{{ denominator }}'{% endfor %})
      AND value > 0
    GROUP BY ALL
)
SELECT indicator_code AS size_measure, area_code, period_end_year, value AS size
FROM value
WHERE indicator_code IN ({% for denominator in var('noise_denominators').values() | unique %}{{ ', ' if not loop.first }}'{{ denominator }}'{% endfor %})
UNION ALL
SELECT 'child_population', n.area_code, n.period_end_year, 10000 * n.value / r.value
FROM value AS n
JOIN value AS r ON r.area_code = n.area_code AND r.period_end_year = n.period_end_year AND r.indicator_code = 'LAC'
WHERE n.indicator_code = 'LACnum'
ORDER BY ALL
