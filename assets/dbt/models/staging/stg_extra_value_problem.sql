-- Values of the extra sources that cannot be placed: an area code that is no council, a region that
-- is not a region, a LAIT indicator's code, a time identifier or period that cannot be read.
SELECT file, source_row, 'old_la_code' AS column_name, old_la_code AS value,
       'not a whole-number DfE LA code' AS problem, 'error' AS severity
FROM {{ ref('stg_extra_value_placed') }}
WHERE kind = 'ees' AND geographic_level = 'Local authority'
  AND blank_to_null(old_la_code) IS NOT NULL AND mapped_code IS NULL
UNION ALL
SELECT v.file, v.source_row, 'old_la_code', v.old_la_code,
       'DfE LA code ' || v.mapped_code || ' is not a council in the council list', 'error'
FROM {{ ref('stg_extra_value_placed') }} AS v
LEFT JOIN {{ ref('dim_area') }} AS a ON a.area_code = v.mapped_code
WHERE v.kind = 'ees' AND v.geographic_level = 'Local authority' AND blank_to_null(v.old_la_code) IS NOT NULL
  AND v.mapped_code IS NOT NULL AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
SELECT v.file, v.source_row, 'new_la_code', v.new_la_code,
       CASE WHEN v.paired_codes IS NULL
                THEN 'new_la_code maps to no DfE LA code: old_la_code is blank and no row of the file pairs this code with one'
            WHEN len(v.paired_codes) > 1
                THEN 'new_la_code is paired with more than one old_la_code in the file ('
                     || array_to_string(v.paired_codes, ', ') || ')'
            ELSE 'new_la_code maps to DfE LA code ' || v.mapped_code || ', which is not a council in the council list'
       END, 'error'
FROM {{ ref('stg_extra_value_placed') }} AS v
LEFT JOIN {{ ref('dim_area') }} AS a ON a.area_code = v.mapped_code
WHERE v.kind = 'ees' AND v.geographic_level = 'Local authority' AND blank_to_null(v.old_la_code) IS NULL
  AND blank_to_null(v.new_la_code) IS NOT NULL AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
SELECT file, source_row, 'old_la_code, new_la_code', NULL, 'a Local authority row with neither code', 'error'
FROM {{ ref('stg_extra_value_placed') }}
WHERE kind = 'ees' AND geographic_level = 'Local authority'
  AND blank_to_null(old_la_code) IS NULL AND blank_to_null(new_la_code) IS NULL
UNION ALL
SELECT file, source_row, 'region_name', region_name, 'region_name is not one of the 9 English regions', 'error'
FROM {{ ref('stg_extra_value_placed') }}
WHERE kind = 'ees' AND geographic_level = 'Regional' AND mapped_code IS NULL
UNION ALL
SELECT v.file, v.source_row, 'council', v.council,
       'council ' || a.area_name || ' (' || a.area_code || ') is not a council in the council list', 'error'
FROM {{ ref('stg_extra_value_placed') }} AS v JOIN {{ ref('dim_area') }} AS a ON a.area_code = v.mapped_code
WHERE v.kind = 'local' AND v.geographic_level = 'Local authority' AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
-- A value of an extra source under a LAIT indicator's code (stg_lait_code): the first row of
-- each file and code is named (the rows are not also reported as duplicates of LAIT's: stg_value_problem).
SELECT file, min(source_row), 'indicator', indicator_code,
       'indicator code ' || indicator_code || ' is a LAIT indicator''s code: an extra source cannot add values '
           || 'to it (' || count(*) || ' row(s) of this file); give the extra indicator a code of its own', 'error'
FROM {{ ref('stg_extra_value_placed') }}
WHERE indicator_code IN (SELECT indicator_code FROM {{ ref('stg_lait_code') }})
GROUP BY file, indicator_code
UNION ALL
SELECT file, source_row, 'time_identifier', time_identifier,
       'unknown time_identifier (expected Calendar year, Reporting year, Academic year or Financial year)', 'error'
FROM {{ ref('stg_extra_value_placed') }}
WHERE kind = 'ees' AND year_kind IS NULL
UNION ALL
SELECT file, source_row, 'time_period', period_label,
       'with time_identifier ''' || time_identifier || ''' the time_period must be '
           || CASE WHEN year_kind = 'calendar' THEN '4 digits (2024)'
                   ELSE '6 digits of two consecutive years (202324)' END, 'error'
FROM {{ ref('stg_extra_value_placed') }}
WHERE kind = 'ees' AND year_kind IS NOT NULL AND parse_label IS NULL
