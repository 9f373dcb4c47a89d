-- Cells the extra sources' readers refused, and rejected cells of their metadata rows: one check
-- per column of stg_extra_indicator_row (the column, the cell shown, the rejected rows, the problem).
{%- set column_checks = [
    ('code', 'NULL', "indicator_code = ''", 'indicator code is blank'),
    ('name', 'NULL', 'indicator_name IS NULL', 'indicator name is blank'),
    ('topic', 'NULL', 'topic IS NULL', 'topic is blank'),
    ('polarity', 'raw_polarity', 'polarity IS NULL', 'unknown polarity (expected high, low or none)'),
    ('dps', 'raw_dps', 'dps_invalid', 'decimal places is not a whole number from 0 to 6'),
    ('year_type', 'raw_year_type', 'year_type IS NULL', 'unknown year type (expected academic, financial or calendar)'),
    ('no_quartile', 'raw_no_quartile', 'no_quartile IS NULL', 'expected yes, no or blank'),
] %}
SELECT file, source_row, column_name, value, problem, 'error' AS severity FROM {{ source('src', 'extra_problem') }}
UNION ALL
SELECT file, source_row, 'code', indicator_code, problem, 'error' FROM {{ ref('stg_extra_indicator_clash') }}
{%- for column, shown, rejected, problem in column_checks %}
UNION ALL
SELECT file, source_row, '{{ column }}', {{ shown }}, '{{ problem }}', 'error'
FROM {{ ref('stg_extra_indicator_row') }} WHERE {{ rejected }}
{%- endfor %}
