-- One row per indicator code: the LAIT release's (stg_lait_indicator: the dictionary, its copies
-- merged) and the extra sources' (stg_extra_indicator); source_name says where each comes from.
SELECT *, 'LAIT' AS source_name FROM {{ ref('stg_lait_indicator') }}
UNION ALL BY NAME
SELECT indicator_code, indicator_name, indicator_name AS chart_title, unit, polarity, dps, year_type,
       no_quartile, false AS discontinued, description, source_link,
       true AS in_dictionary,
       indicator_code IN (SELECT indicator_code FROM {{ source('src', 'extra_value') }}) AS has_data,
       is_percentage_unit(unit) AS is_percentage,
       source_name
FROM {{ ref('stg_extra_indicator') }}
