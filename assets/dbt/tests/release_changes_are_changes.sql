-- release_changes_are_changes: the offending rows (the test passes when there are none). Properties in models/marts/release_changes.yml.
SELECT change, indicator_code, area_code, period_label, previous_value, value, previous_status, value_status
FROM {{ ref('release_changes') }}
WHERE compared_with_release IS NULL OR compared_with_release = release_id
   OR (change = 'revised_value' AND previous_status = value_status
       AND coalesce(abs(previous_value - value) <= 1e-9, TRUE))
