-- The topic(s) of each indicator: the dictionary's, then the extra sources'.
SELECT * FROM (
    SELECT DISTINCT indicator_code, topic FROM {{ ref('stg_dictionary_row') }}
    WHERE indicator_code <> '' AND topic IS NOT NULL
    ORDER BY ALL
)
UNION ALL
SELECT indicator_code, topic FROM {{ ref('stg_extra_indicator') }}
WHERE topic IS NOT NULL
