-- Grow the core model to `copies` times the current councils: each copy k (1..copies-1) adds
-- every current council again under code area_code + 10000 * k, with its values, type, region
-- and neighbours (neighbour codes shifted into the same copy). Regions and England stay as they are.
CREATE OR REPLACE TEMP TABLE copy_number AS SELECT range AS k FROM range(1, getvariable('copies'));
INSERT INTO core.dim_area
SELECT a.area_code + 10000 * c.k, a.area_name || ' (copy ' || c.k || ')', a.area_kind, a.region_name,
       a.london_subregion, a.la_type, a.is_current, NULL
FROM core.dim_area AS a, copy_number AS c WHERE a.is_current;
INSERT INTO core.dim_stat_neighbour
SELECT n.area_code + 10000 * c.k, n.neighbour_code + 10000 * c.k, n.neighbour_rank, n.closeness
FROM core.dim_stat_neighbour AS n JOIN core.dim_area AS a USING (area_code), copy_number AS c
WHERE a.is_current AND n.area_code < 10000;
INSERT INTO core.fact_indicator_value
SELECT f.* REPLACE (f.area_code + 10000 * c.k AS area_code)
FROM core.fact_indicator_value AS f JOIN core.dim_area AS a USING (area_code), copy_number AS c
WHERE a.is_current AND f.area_code < 10000;
