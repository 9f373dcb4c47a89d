-- Rejected cells of the inspections files, named as the file names its column (src.inspection_columns).
WITH cells AS (
    UNPIVOT (SELECT source_file, source_row, layout, area_code, la_code, inspection_start_date,
                    inspection_end_date, publication_date, inspection_type, overall_effectiveness,
                    impact_of_leaders, help_and_protection, in_care, care_leavers,
                    start_date::VARCHAR AS start_date, end_date::VARCHAR AS end_date,
                    published_date::VARCHAR AS published_date
             FROM {{ ref('stg_inspection_typed') }})
    ON la_code, inspection_start_date, inspection_end_date, publication_date, inspection_type,
       overall_effectiveness, impact_of_leaders, help_and_protection, in_care, care_leavers
    INTO NAME column_name VALUE value
),
problems AS (
    SELECT source_file, source_row, layout, column_name, value,
           CASE
               WHEN column_name = 'la_code' AND (area_code IS NULL OR area_code NOT IN (
                        SELECT area_code FROM {{ ref('dim_area') }} WHERE area_kind = 'la'))
                   THEN 'not the LA code of a council in the council list (current, or abolished with successors)'
               WHEN column_name LIKE '%date' AND TRY_CAST(value AS DATE) IS NULL
                   THEN 'not a date (yyyy-mm-dd, dd/mm/yyyy or dd/mm/yy)'
               WHEN column_name = 'inspection_type'
                    AND value NOT IN (SELECT word FROM {{ source('src', 'inspection_words') }} WHERE kind = 'inspection_type')
                   THEN 'not an inspection type (standard or short)'
               WHEN column_name NOT IN ('la_code', 'inspection_type') AND column_name NOT LIKE '%date'
                    AND {{ inspection_grade('value') }} IS NULL
                   THEN 'not an Ofsted grade (outstanding, good, requires improvement, inadequate)'
               WHEN column_name = 'inspection_end_date' AND end_date < start_date
                   THEN 'the inspection ends before it starts (' || start_date || ')'
               WHEN column_name = 'publication_date' AND published_date < end_date
                   THEN 'published before the inspection ended (' || end_date || ')'
           END AS problem
    FROM cells
)
SELECT p.source_file AS file, p.source_row, c.file_column AS column_name, p.value, p.problem, 'error' AS severity
FROM problems AS p
JOIN {{ source('src', 'inspection_columns') }} AS c ON c.layout = p.layout AND c.column_name = p.column_name
WHERE p.problem IS NOT NULL
UNION ALL
SELECT source_file, source_row, c.file_column, NULL, 'no publication date', 'error'
FROM {{ ref('stg_inspection_typed') }} AS t
JOIN {{ source('src', 'inspection_columns') }} AS c ON c.layout = t.layout AND c.column_name = 'publication_date'
WHERE t.publication_date IS NULL
