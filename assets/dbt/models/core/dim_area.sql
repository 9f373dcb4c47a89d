-- Every area in the data plus every council in the council list.
-- Kind: a council has a type (UA, MD, SC, OLB, ILB); otherwise the name says whether it is
-- England, one of the 9 regions, or Inner/Outer London. Region spellings are normalised
-- through stg_region_spelling; abolished councils are those with a successor.
WITH codes AS (
    SELECT area_code FROM {{ ref('stg_data_area_code') }} WHERE area_code IS NOT NULL
    UNION
    SELECT area_code FROM {{ ref('stg_council_list') }} WHERE la_type IS NOT NULL AND area_code IS NOT NULL
),
named AS (
    SELECT c.area_code,
           coalesce(l.area_name, any_value(d.area_name)) AS area_name,
           l.la_type,
           coalesce(l.region, any_value(d.region)) AS listed_region
    FROM codes AS c
    LEFT JOIN {{ ref('stg_council_list') }} AS l USING (area_code)
    LEFT JOIN {{ ref('stg_data_area_code') }} AS d USING (area_code)
    GROUP BY c.area_code, l.area_name, l.la_type, l.region
),
successors AS (
    SELECT predecessor_code AS area_code, list(successor_code ORDER BY successor_code) AS successor_codes
    FROM {{ ref('stg_area_succession') }} GROUP BY 1
)
SELECT n.area_code,
       n.area_name,
       CASE WHEN n.la_type IS NOT NULL THEN 'la'
            WHEN own.london_subregion IS NOT NULL THEN 'london_subregion'
            WHEN own.region_name IS NOT NULL THEN 'region'
            WHEN spelling_key(n.area_name) = 'england' THEN 'england'
       END AS area_kind,
       CASE WHEN n.la_type IS NOT NULL THEN listed.region_name ELSE own.region_name END AS region_name,
       CASE WHEN n.la_type IS NOT NULL THEN listed.london_subregion ELSE own.london_subregion END
           AS london_subregion,
       n.la_type,
       n.la_type IS NOT NULL AND s.area_code IS NULL AS is_current,
       s.successor_codes
FROM named AS n
LEFT JOIN {{ ref('stg_region_spelling') }} AS own ON own.spelling_key = spelling_key(n.area_name)
LEFT JOIN {{ ref('stg_region_spelling') }} AS listed ON listed.spelling_key = spelling_key(n.listed_region)
LEFT JOIN successors AS s USING (area_code)
ORDER BY n.area_code
