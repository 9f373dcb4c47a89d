-- The data's areas with their code: rows without an LA number are matched to the council list by name.
SELECT d.raw_code, d.area_name, d.region, d.first_row,
       coalesce(d.area_code, named.area_code) AS area_code
FROM {{ ref('stg_data_area') }} AS d
LEFT JOIN {{ ref('stg_council_list') }} AS named
       ON d.area_code IS NULL AND spelling_key(named.area_name) = spelling_key(d.area_name)
