-- LAIT data rows whose period label is not a period (stg_period), with the reason: kept aside, not an error.
SELECT r.source_row, r.indicator_code, r.area_code, r.period_label, r.raw_value, p.rejected_reason AS reason
FROM {{ ref('stg_value_row') }} AS r
JOIN {{ ref('stg_period') }} AS p USING (indicator_code, period_label)
WHERE p.rejected_reason IS NOT NULL AND r.file = 'bds'
ORDER BY r.source_row
