-- Cells the extra sources' readers refused, and rejected cells of their metadata rows.
SELECT file, source_row, column_name, value, problem, 'error' AS severity FROM {{ source('src', 'extra_problem') }}
UNION ALL
SELECT file, source_row, 'code', indicator_code, problem, 'error' FROM {{ ref('stg_extra_indicator_clash') }}
UNION ALL
SELECT file, source_row, 'code', NULL, 'indicator code is blank', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE indicator_code = ''
UNION ALL
SELECT file, source_row, 'name', NULL, 'indicator name is blank', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE indicator_name IS NULL
UNION ALL
SELECT file, source_row, 'topic', NULL, 'topic is blank', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE topic IS NULL
UNION ALL
SELECT file, source_row, 'polarity', raw_polarity, 'unknown polarity (expected high, low or none)', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE polarity IS NULL
UNION ALL
SELECT file, source_row, 'dps', raw_dps, 'decimal places is not a whole number from 0 to 6', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE dps_invalid
UNION ALL
SELECT file, source_row, 'year_type', raw_year_type, 'unknown year type (expected academic, financial or calendar)', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE year_type IS NULL
UNION ALL
SELECT file, source_row, 'no_quartile', raw_no_quartile, 'expected yes, no or blank', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE no_quartile IS NULL
