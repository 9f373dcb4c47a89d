-- Every code the LAIT release uses (dictionary or data): an extra source may not define or add
-- values to one (stg_extra_indicator_clash for the metadata rows, stg_extra_value_problem for the data rows).
SELECT indicator_code FROM {{ ref('stg_dictionary_row') }}
UNION
SELECT indicator_code FROM {{ source('src', 'bds') }}
