-- percentages_within_0_100: the offending rows (a warning: it never blocks). Properties in models/core/fact_indicator_value.yml.
SELECT f.indicator_code, f.area_code, f.period_label, f.value
FROM {{ ref('fact_indicator_value') }} AS f JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code)
WHERE i.is_percentage AND (f.value < 0 OR f.value > 100)
