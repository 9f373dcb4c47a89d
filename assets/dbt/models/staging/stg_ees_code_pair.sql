-- The DfE LA numbers (old_la_code) each EES file pairs with each ONS code (new_la_code): the
-- repository has no ONS lookup, so a file is its own (stg_extra_value_placed).
SELECT file, trim(new_la_code) AS new_la_code,
       list(DISTINCT area_number(old_la_code) ORDER BY area_number(old_la_code)) AS old_codes
FROM {{ source('src', 'extra_value') }}
WHERE kind = 'ees' AND blank_to_null(new_la_code) IS NOT NULL AND area_number(old_la_code) IS NOT NULL
GROUP BY ALL
