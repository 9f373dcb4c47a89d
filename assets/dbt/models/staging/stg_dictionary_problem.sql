-- Rejected cells of the data dictionary, and indicators with data but no dictionary row.
SELECT 'dictionary' AS file, source_row, 'Measure_short' AS column_name, NULL AS value,
       'indicator code is blank' AS problem, 'error' AS severity
FROM {{ ref('stg_dictionary_row') }} WHERE coalesce(indicator_code, '') = ''
UNION ALL
SELECT 'dictionary', source_row, 'Polarity', raw_polarity,
       'unknown polarity (expected High, Low, - or NA)', 'error'
FROM {{ ref('stg_dictionary_row') }} WHERE polarity IS NULL
UNION ALL
SELECT 'dictionary', source_row, 'dps', raw_dps, 'decimal places is not a whole number', 'warning'
FROM {{ ref('stg_dictionary_row') }} WHERE dps IS NULL AND blank_to_null(raw_dps) IS NOT NULL
UNION ALL
-- An indicator with data but no dictionary row has no name, polarity or decimal places to show or
-- judge it by: the release is refused, naming the code (neither real release has one).
-- (<dictionary> is replaced by the dictionary's file name: assets/core/build.py, source_problems)
SELECT 'bds', min(b.source_row), 'Short Desc', b.indicator_code,
       'indicator has values but no row in the data dictionary (<dictionary>): its name, polarity and '
       || 'decimal places are unknown; restore its dictionary row', 'error'
FROM {{ source('src', 'bds') }} AS b JOIN {{ ref('stg_lait_indicator') }} AS i USING (indicator_code)
WHERE NOT i.in_dictionary
GROUP BY b.indicator_code
