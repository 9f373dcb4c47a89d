-- The data's areas: its few hundred distinct (LA number, name, region) texts are found first,
-- and only those are parsed (not each of the data rows).
WITH published AS (
    SELECT la_number, area_name, region, min(source_row) AS first_row FROM {{ source('src', 'bds') }} GROUP BY ALL
)
SELECT area_number(la_number) AS area_code,
       la_number AS raw_code,
       trim(area_name) AS area_name,
       blank_to_null(region) AS region,
       min(first_row) AS first_row
FROM published
GROUP BY ALL
