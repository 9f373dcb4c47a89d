-- Each value of the extra sources (src.extra_value) with the area code it maps to and the label the
-- period parser (stg_period) reads; every value that cannot be placed is an error (stg_extra_value_problem).
-- Areas:
--   local files: the council the adapter matched by name or LA number (assets/sources/local.py);
--     England and region rows are 'National' and 'Regional' rows, placed as EES ones are.
--   EES 'Local authority' rows: old_la_code is the DfE LA number of the core model. A row with only
--     new_la_code (the ONS code, E06/E08/E09/E10...) takes the old_la_code that other rows of the same
--     file pair with that new_la_code (stg_ees_code_pair).
--     A code that maps to no council of the council list is an error.
--   EES 'Regional' rows: region_name normalised through stg_region_spelling (Inner/Outer London
--     map to the London sub-regions). EES 'National' rows: England (970).
-- Periods: a local period is read as written (the LAIT forms, year kind from the indicator's
--   year_type). An EES time_period is read by its time_identifier (stg_ees_time_identifier):
--   4 digits for calendar and reporting years -> 'YYYY'; 6 digits of two consecutive years
--   (202324) -> 'YYYY/YY' academic or 'YYYY-YY' financial. period_label keeps the published text.
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
FROM {{ source('src', 'extra_value') }} AS v
LEFT JOIN {{ ref('stg_ees_code_pair') }} AS p
       ON v.kind = 'ees' AND p.file = v.file AND p.new_la_code = trim(v.new_la_code)
LEFT JOIN {{ ref('stg_region_spelling') }} AS rs ON rs.spelling_key = spelling_key(v.region_name)
LEFT JOIN {{ ref('dim_area') }} AS reg
       ON v.geographic_level = 'Regional' AND reg.area_kind IN ('region', 'london_subregion')
      AND reg.region_name = rs.region_name AND reg.london_subregion IS NOT DISTINCT FROM rs.london_subregion
LEFT JOIN {{ ref('dim_area') }} AS eng ON eng.area_kind = 'england'
LEFT JOIN {{ ref('stg_ees_time_identifier') }} AS t ON t.identifier_key = spelling_key(v.time_identifier)
