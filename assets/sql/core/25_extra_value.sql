-- staging.extra_value_row: each value of the extra sources (src.extra_value) with its area code and
-- the label the period parser (30_period.sql) reads; every value that cannot be placed is an error.
-- Areas:
--   local files: the council the adapter matched by name or LA number (assets/sources/local.py);
--     England and region rows are 'National' and 'Regional' rows, placed as EES ones are.
--   EES 'Local authority' rows: old_la_code is the DfE LA number of the core model. A row with only
--     new_la_code (the ONS code, E06/E08/E09/E10...) takes the old_la_code that other rows of the same
--     file pair with that new_la_code: the repository has no ONS lookup, so the file is its own.
--     A code that maps to no council of the council list is an error.
--   EES 'Regional' rows: region_name normalised through staging.region_spelling (Inner/Outer London
--     map to the London sub-regions). EES 'National' rows: England (970).
-- Periods: a local period is read as written (the LAIT forms, year kind from the indicator's
--   year_type). An EES time_period is read by its time_identifier (staging.ees_time_identifier):
--   4 digits for calendar and reporting years -> 'YYYY'; 6 digits of two consecutive years
--   (202324) -> 'YYYY/YY' academic or 'YYYY-YY' financial. period_label keeps the published text.
CREATE OR REPLACE TABLE staging.ees_code_pair AS
SELECT file, trim(new_la_code) AS new_la_code,
       list(DISTINCT area_number(old_la_code) ORDER BY area_number(old_la_code)) AS old_codes
FROM src.extra_value
WHERE kind = 'ees' AND blank_to_null(new_la_code) IS NOT NULL AND area_number(old_la_code) IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE TABLE staging.extra_value_placed AS
SELECT v.*,
       CASE WHEN v.kind = 'local' AND v.geographic_level = 'Local authority' THEN v.area_code
            WHEN v.geographic_level = 'Local authority' THEN
                CASE WHEN blank_to_null(v.old_la_code) IS NOT NULL THEN area_number(v.old_la_code)
                     WHEN len(p.old_codes) = 1 THEN p.old_codes[1] END
            WHEN v.geographic_level = 'Regional' THEN reg.area_code
            WHEN v.geographic_level = 'National' THEN eng.area_code
       END AS mapped_code,
       p.old_codes AS paired_codes,
       t.year_kind,
       CASE WHEN v.kind = 'local' THEN v.period_label
            WHEN t.digits = 4 AND regexp_full_match(trim(v.period_label), '\d{4}') THEN trim(v.period_label)
            WHEN t.digits = 6 AND regexp_full_match(trim(v.period_label), '\d{6}')
                 AND TRY_CAST(right(trim(v.period_label), 2) AS INTEGER)
                     = (TRY_CAST(left(trim(v.period_label), 4) AS INTEGER) + 1) % 100
                THEN left(trim(v.period_label), 4) || CASE t.year_kind WHEN 'academic' THEN '/' ELSE '-' END
                     || right(trim(v.period_label), 2)
       END AS parse_label
FROM src.extra_value AS v
LEFT JOIN staging.ees_code_pair AS p
       ON v.kind = 'ees' AND p.file = v.file AND p.new_la_code = trim(v.new_la_code)
LEFT JOIN staging.region_spelling AS rs ON rs.spelling_key = spelling_key(v.region_name)
LEFT JOIN staging.dim_area AS reg
       ON v.geographic_level = 'Regional' AND reg.area_kind IN ('region', 'london_subregion')
      AND reg.region_name = rs.region_name AND reg.london_subregion IS NOT DISTINCT FROM rs.london_subregion
LEFT JOIN staging.dim_area AS eng ON eng.area_kind = 'england'
LEFT JOIN staging.ees_time_identifier AS t ON t.identifier_key = spelling_key(v.time_identifier);

CREATE OR REPLACE TABLE staging.extra_value_row AS
SELECT v.source_name, v.kind, v.file, v.source_row, v.indicator_code, v.value_column, v.period_column,
       v.key_columns, v.period_label, v.parse_label, v.year_kind, v.raw_value,
       a.area_code
FROM staging.extra_value_placed AS v
LEFT JOIN staging.dim_area AS a
       ON a.area_code = v.mapped_code
      AND (a.area_kind = 'la') = (v.geographic_level = 'Local authority');

INSERT INTO staging.source_problem
SELECT file, source_row, 'old_la_code', old_la_code, 'not a whole-number DfE LA code', 'error'
FROM staging.extra_value_placed
WHERE kind = 'ees' AND geographic_level = 'Local authority'
  AND blank_to_null(old_la_code) IS NOT NULL AND mapped_code IS NULL
UNION ALL
SELECT v.file, v.source_row, 'old_la_code', v.old_la_code,
       'DfE LA code ' || v.mapped_code || ' is not a council in the council list', 'error'
FROM staging.extra_value_placed AS v
LEFT JOIN staging.dim_area AS a ON a.area_code = v.mapped_code
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
FROM staging.extra_value_placed AS v
LEFT JOIN staging.dim_area AS a ON a.area_code = v.mapped_code
WHERE v.kind = 'ees' AND v.geographic_level = 'Local authority' AND blank_to_null(v.old_la_code) IS NULL
  AND blank_to_null(v.new_la_code) IS NOT NULL AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
SELECT file, source_row, 'old_la_code, new_la_code', NULL, 'a Local authority row with neither code', 'error'
FROM staging.extra_value_placed
WHERE kind = 'ees' AND geographic_level = 'Local authority'
  AND blank_to_null(old_la_code) IS NULL AND blank_to_null(new_la_code) IS NULL
UNION ALL
SELECT file, source_row, 'region_name', region_name, 'region_name is not one of the 9 English regions', 'error'
FROM staging.extra_value_placed
WHERE kind = 'ees' AND geographic_level = 'Regional' AND mapped_code IS NULL
UNION ALL
SELECT v.file, v.source_row, 'council', v.council,
       'council ' || a.area_name || ' (' || a.area_code || ') is not a council in the council list', 'error'
FROM staging.extra_value_placed AS v JOIN staging.dim_area AS a ON a.area_code = v.mapped_code
WHERE v.kind = 'local' AND v.geographic_level = 'Local authority' AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
-- A value of an extra source under a LAIT indicator's code (staging.lait_code): the first row of
-- each file and code is named (the rows are not also reported as duplicates of LAIT's: 60_*).
SELECT file, min(source_row), 'indicator', indicator_code,
       'indicator code ' || indicator_code || ' is a LAIT indicator''s code: an extra source cannot add values '
           || 'to it (' || count(*) || ' row(s) of this file); give the extra indicator a code of its own', 'error'
FROM staging.extra_value_placed
WHERE indicator_code IN (SELECT indicator_code FROM staging.lait_code)
GROUP BY file, indicator_code
UNION ALL
SELECT file, source_row, 'time_identifier', time_identifier,
       'unknown time_identifier (expected Calendar year, Reporting year, Academic year or Financial year)', 'error'
FROM staging.extra_value_placed
WHERE kind = 'ees' AND year_kind IS NULL
UNION ALL
SELECT file, source_row, 'time_period', period_label,
       'with time_identifier ''' || time_identifier || ''' the time_period must be '
           || CASE WHEN year_kind = 'calendar' THEN '4 digits (2024)'
                   ELSE '6 digits of two consecutive years (202324)' END, 'error'
FROM staging.extra_value_placed
WHERE kind = 'ees' AND year_kind IS NOT NULL AND parse_label IS NULL;
