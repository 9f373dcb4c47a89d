-- core.dim_area: every area in the data plus every council in the council list.
-- Kind: a council has a type (UA, MD, SC, OLB, ILB); otherwise the name says whether it is
-- England, one of the 9 regions, or Inner/Outer London. Region spellings are normalised
-- through staging.region_spelling; abolished councils are those with a successor.
CREATE OR REPLACE TABLE staging.council_list AS
SELECT source_row,
       area_number(la_number) AS area_code,
       la_number AS raw_code,
       trim(la_name) AS area_name,
       blank_to_null(region) AS region,
       blank_to_null(la_type) AS la_type
FROM src.councils
WHERE blank_to_null(la_number) IS NOT NULL OR blank_to_null(la_name) IS NOT NULL;

-- The data's areas: its few hundred distinct (LA number, name, region) texts are found first,
-- and only those are parsed (not each of the data rows).
CREATE OR REPLACE TABLE staging.data_area AS
WITH published AS (
    SELECT la_number, area_name, region, min(source_row) AS first_row FROM src.bds GROUP BY ALL
)
SELECT area_number(la_number) AS area_code,
       la_number AS raw_code,
       trim(area_name) AS area_name,
       blank_to_null(region) AS region,
       min(first_row) AS first_row
FROM published
GROUP BY ALL;

-- Data rows without an LA number are matched to the council list by name.
CREATE OR REPLACE TABLE staging.data_area_code AS
SELECT d.raw_code, d.area_name, d.region, d.first_row,
       coalesce(d.area_code, named.area_code) AS area_code
FROM staging.data_area AS d
LEFT JOIN staging.council_list AS named
       ON d.area_code IS NULL AND spelling_key(named.area_name) = spelling_key(d.area_name);

CREATE OR REPLACE TABLE staging.dim_area AS
WITH codes AS (
    SELECT area_code FROM staging.data_area_code WHERE area_code IS NOT NULL
    UNION
    SELECT area_code FROM staging.council_list WHERE la_type IS NOT NULL AND area_code IS NOT NULL
),
named AS (
    SELECT c.area_code,
           coalesce(l.area_name, any_value(d.area_name)) AS area_name,
           l.la_type,
           coalesce(l.region, any_value(d.region)) AS listed_region
    FROM codes AS c
    LEFT JOIN staging.council_list AS l USING (area_code)
    LEFT JOIN staging.data_area_code AS d USING (area_code)
    GROUP BY c.area_code, l.area_name, l.la_type, l.region
),
successors AS (
    SELECT predecessor_code AS area_code, list(successor_code ORDER BY successor_code) AS successor_codes
    FROM staging.area_succession GROUP BY 1
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
LEFT JOIN staging.region_spelling AS own ON own.spelling_key = spelling_key(n.area_name)
LEFT JOIN staging.region_spelling AS listed ON listed.spelling_key = spelling_key(n.listed_region)
LEFT JOIN successors AS s USING (area_code)
ORDER BY n.area_code;

CREATE OR REPLACE TABLE staging.area_succession_published AS
SELECT * FROM staging.area_succession
WHERE predecessor_code IN (SELECT area_code FROM staging.dim_area);

INSERT INTO staging.source_problem
SELECT 'councils', source_row, 'LA Number', raw_code, 'not a whole-number LA code', 'error'
FROM staging.council_list WHERE area_code IS NULL
UNION ALL
SELECT 'councils', source_row, 'LA Number', raw_code,
       'LA code listed ' || count(*) OVER (PARTITION BY area_code) || ' times', 'error'
FROM staging.council_list WHERE area_code IS NOT NULL QUALIFY count(*) OVER (PARTITION BY area_code) > 1
UNION ALL
SELECT 'councils', source_row, 'Type', la_type, 'unknown council type (expected UA, MD, SC, OLB or ILB)', 'error'
FROM staging.council_list WHERE la_type NOT IN ('UA', 'MD', 'SC', 'OLB', 'ILB')
UNION ALL
SELECT 'councils', source_row, 'Region', region, 'region not one of the 9 English regions', 'error'
FROM staging.council_list
WHERE la_type IS NOT NULL
  AND spelling_key(region) NOT IN (SELECT spelling_key FROM staging.region_spelling)
UNION ALL
SELECT 'bds', first_row, 'LA Number', raw_code, 'not a whole-number LA code', 'error'
FROM staging.data_area WHERE area_code IS NULL AND raw_code IS NOT NULL
UNION ALL
SELECT 'bds', d.first_row, 'LA Number', coalesce(d.raw_code, d.area_name),
       'area ''' || d.area_name || ''' is not in the council list and is not England or a region', 'error'
FROM staging.data_area_code AS d
LEFT JOIN staging.dim_area AS a USING (area_code)
WHERE a.area_kind IS NULL;
