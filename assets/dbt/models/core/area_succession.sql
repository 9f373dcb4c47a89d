-- Abolished councils of the data and the councils that replaced them.
SELECT * FROM {{ ref('stg_area_succession') }}
WHERE predecessor_code IN (SELECT area_code FROM {{ ref('dim_area') }})
