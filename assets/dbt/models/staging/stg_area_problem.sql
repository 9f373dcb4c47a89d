-- Rejected cells of the council list and of the data's areas (core.dim_area).
SELECT 'councils' AS file, source_row, 'LA Number' AS column_name, raw_code AS value,
       'not a whole-number LA code' AS problem, 'error' AS severity
FROM {{ ref('stg_council_list') }} WHERE area_code IS NULL
UNION ALL
SELECT 'councils', source_row, 'LA Number', raw_code,
       'LA code listed ' || count(*) OVER (PARTITION BY area_code) || ' times', 'error'
FROM {{ ref('stg_council_list') }} WHERE area_code IS NOT NULL QUALIFY count(*) OVER (PARTITION BY area_code) > 1
UNION ALL
SELECT 'councils', source_row, 'Type', la_type, 'unknown council type (expected UA, MD, SC, OLB or ILB)', 'error'
FROM {{ ref('stg_council_list') }} WHERE la_type NOT IN ('UA', 'MD', 'SC', 'OLB', 'ILB')
UNION ALL
SELECT 'councils', source_row, 'Region', region, 'region not one of the 9 English regions', 'error'
FROM {{ ref('stg_council_list') }}
WHERE la_type IS NOT NULL
  AND spelling_key(region) NOT IN (SELECT spelling_key FROM {{ ref('stg_region_spelling') }})
UNION ALL
SELECT 'bds', first_row, 'LA Number', raw_code, 'not a whole-number LA code', 'error'
FROM {{ ref('stg_data_area') }} WHERE area_code IS NULL AND raw_code IS NOT NULL
UNION ALL
SELECT 'bds', d.first_row, 'LA Number', coalesce(d.raw_code, d.area_name),
       'area ''' || d.area_name || ''' is not in the council list and is not England or a region', 'error'
FROM {{ ref('stg_data_area_code') }} AS d
LEFT JOIN {{ ref('dim_area') }} AS a USING (area_code)
WHERE a.area_kind IS NULL
