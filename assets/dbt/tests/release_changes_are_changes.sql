-- release_changes_are_changes: the offending rows (the test passes when there are none). Properties in models/marts/release_changes.yml.
SELECT change, indicator_code, area_code, period_label, previous_value, value, previous_status, value_status
FROM {{ ref('release_changes') }}
WHERE compared_with_release IS NULL OR compared_with_release = release_id
   OR (change IN ('revised_value', 'precision_changed') AND previous_status = value_status
       AND coalesce(abs(previous_value - value) <= 1e-9, TRUE))
   OR (change IN ('relabelled_period', 'period_status_changed')
       AND previous_period_label IS NOT DISTINCT FROM period_label)
