-- One row per indicator, area and period as published, from the LAIT data set and the extra
-- sources (stg_value_row: value and value_status), with the period parsed (stg_period). Rows
-- whose period label is not a period are not here: LAIT's are in core.period_quarantine, an
-- extra source's are errors (stg_value_problem).
SELECT r.indicator_code, r.area_code, r.period_label,
       p.period_start_year, p.period_end_year, p.period_kind, p.period_status, p.period_order,
       r.value,
       r.value_status, r.raw_value
FROM {{ ref('stg_value_row') }} AS r
JOIN {{ ref('stg_period') }} AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NULL
ORDER BY r.indicator_code, r.area_code, p.period_order
