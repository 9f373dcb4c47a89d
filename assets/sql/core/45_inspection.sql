-- core.inspection: one row per Ofsted ILACS inspection, from the landed inspections files
-- (src.inspection_rows, read by assets/inspections/read.py: dates as yyyy-mm-dd text, grades
-- in lower case). The council is the LA code as the file gives it; current_area_code is the
-- council itself when current, its one successor when abolished with one, and NULL when it
-- was split between several (listed in successor_codes).
-- The same inspection in two files (same council and the same end date or the same
-- publication date) is kept once, from the file with the lower file_rank: a one-row-per-
-- inspection file before the overview workbook.
-- The overview workbook repeats the combined children-in-care-and-care-leavers judgement of an
-- inspection before 2023 under care_leavers; that column is kept only from 2023, when the
-- framework made care leavers a judgement of its own.
CREATE OR REPLACE TABLE staging.inspection_typed AS
SELECT r.*,
       area_number(r.la_code) AS area_code,  -- the one rule for LA numbers (00_reference.sql)
       TRY_CAST(r.inspection_start_date AS DATE) AS start_date,
       TRY_CAST(r.inspection_end_date AS DATE) AS end_date,
       TRY_CAST(r.publication_date AS DATE) AS published_date
FROM src.inspection_rows AS r;

CREATE OR REPLACE TEMP MACRO inspection_grade(text) AS
    (SELECT grade FROM src.inspection_words WHERE kind = 'grade' AND word = text);

-- core.inspection_source: the landed files the inspections were read from.
CREATE OR REPLACE TABLE staging.inspection_source AS FROM src.inspection_source;

CREATE OR REPLACE TABLE staging.inspection AS
WITH kept AS (
    SELECT t.* FROM staging.inspection_typed AS t
    WHERE NOT EXISTS (
        SELECT 1 FROM staging.inspection_typed AS e
        WHERE e.file_rank < t.file_rank AND e.area_code = t.area_code
          AND (e.end_date = t.end_date OR e.published_date = t.published_date)
    )
)
SELECT k.area_code,
       CASE WHEN a.is_current THEN k.area_code WHEN len(a.successor_codes) = 1 THEN a.successor_codes[1] END
           AS current_area_code,
       k.local_authority,
       k.start_date AS inspection_start_date,
       k.end_date AS inspection_end_date,
       k.published_date AS publication_date,
       k.inspection_type,
       k.overall_effectiveness,
       inspection_grade(k.overall_effectiveness) AS overall_grade,
       k.impact_of_leaders,
       k.help_and_protection,
       k.in_care,
       CASE WHEN k.layout = 'overview' AND coalesce(k.start_date, k.published_date) < DATE '2023-01-01'
            THEN NULL ELSE k.care_leavers END AS care_leavers,
       k.source_file,
       CAST(k.source_row AS INTEGER) AS source_row,
       a.successor_codes,
       k.layout AS source_layout
FROM kept AS k
LEFT JOIN staging.dim_area AS a ON a.area_code = k.area_code AND a.area_kind = 'la'
ORDER BY k.area_code, k.end_date, k.source_file, k.source_row;

-- Rejected cells, named as the file names its column (src.inspection_columns).
INSERT INTO staging.source_problem
WITH cells AS (
    UNPIVOT (SELECT source_file, source_row, layout, area_code, la_code, inspection_start_date,
                    inspection_end_date, publication_date, inspection_type, overall_effectiveness,
                    impact_of_leaders, help_and_protection, in_care, care_leavers,
                    start_date::VARCHAR AS start_date, end_date::VARCHAR AS end_date,
                    published_date::VARCHAR AS published_date
             FROM staging.inspection_typed)
    ON la_code, inspection_start_date, inspection_end_date, publication_date, inspection_type,
       overall_effectiveness, impact_of_leaders, help_and_protection, in_care, care_leavers
    INTO NAME column_name VALUE value
),
problems AS (
    SELECT source_file, source_row, layout, column_name, value,
           CASE
               WHEN column_name = 'la_code' AND (area_code IS NULL OR area_code NOT IN (
                        SELECT area_code FROM staging.dim_area WHERE area_kind = 'la'))
                   THEN 'not the LA code of a council in the council list (current, or abolished with successors)'
               WHEN column_name LIKE '%date' AND TRY_CAST(value AS DATE) IS NULL
                   THEN 'not a date (yyyy-mm-dd, dd/mm/yyyy or dd/mm/yy)'
               WHEN column_name = 'inspection_type'
                    AND value NOT IN (SELECT word FROM src.inspection_words WHERE kind = 'inspection_type')
                   THEN 'not an inspection type (standard or short)'
               WHEN column_name NOT IN ('la_code', 'inspection_type') AND column_name NOT LIKE '%date'
                    AND inspection_grade(value) IS NULL
                   THEN 'not an Ofsted grade (outstanding, good, requires improvement, inadequate)'
               WHEN column_name = 'inspection_end_date' AND end_date < start_date
                   THEN 'the inspection ends before it starts (' || start_date || ')'
               WHEN column_name = 'publication_date' AND published_date < end_date
                   THEN 'published before the inspection ended (' || end_date || ')'
           END AS problem
    FROM cells
)
SELECT p.source_file, p.source_row, c.file_column, p.value, p.problem, 'error'
FROM problems AS p
JOIN src.inspection_columns AS c ON c.layout = p.layout AND c.column_name = p.column_name
WHERE p.problem IS NOT NULL
UNION ALL
SELECT source_file, source_row, c.file_column, NULL, 'no publication date', 'error'
FROM staging.inspection_typed AS t
JOIN src.inspection_columns AS c ON c.layout = t.layout AND c.column_name = 'publication_date'
WHERE t.publication_date IS NULL;
