-- The council list, typed: LA code (area_number), name, region and council type.
SELECT source_row,
       area_number(la_number) AS area_code,
       la_number AS raw_code,
       trim(la_name) AS area_name,
       blank_to_null(region) AS region,
       blank_to_null(la_type) AS la_type
FROM {{ source('src', 'councils') }}
WHERE blank_to_null(la_number) IS NOT NULL OR blank_to_null(la_name) IS NOT NULL
