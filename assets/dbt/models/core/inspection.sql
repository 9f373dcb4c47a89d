-- One row per Ofsted ILACS inspection. The council is the LA code as the file gives it;
-- current_area_code is the council itself when current, its one successor when abolished with
-- one, and NULL when it was split between several (listed in successor_codes).
-- The same inspection in two files (same council and the same end date or the same
-- publication date) is kept once, from the file with the lower file_rank: a one-row-per-
-- inspection file before the overview workbook.
-- The overview workbook repeats the combined children-in-care-and-care-leavers judgement of an
-- inspection before 2023 under care_leavers; that column is kept only from 2023, when the
-- framework made care leavers a judgement of its own.
WITH kept AS (
    SELECT t.* FROM {{ ref('stg_inspection_typed') }} AS t
    WHERE NOT EXISTS (
        SELECT 1 FROM {{ ref('stg_inspection_typed') }} AS e
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
       {{ inspection_grade('k.overall_effectiveness') }} AS overall_grade,
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
LEFT JOIN {{ ref('dim_area') }} AS a ON a.area_code = k.area_code AND a.area_kind = 'la'
ORDER BY k.area_code, k.end_date, k.source_file, k.source_row
