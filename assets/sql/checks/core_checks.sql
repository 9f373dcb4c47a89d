-- name: fact_rows_join_known_indicator_and_area
-- Fact rows whose indicator is not in dim_indicator or whose area is not in dim_area.
SELECT f.indicator_code, f.area_code, f.period_label,
       CASE WHEN i.indicator_code IS NULL THEN 'unknown indicator' ELSE 'unknown area' END AS problem
FROM staging.fact_indicator_value AS f
LEFT JOIN staging.dim_indicator AS i USING (indicator_code)
LEFT JOIN staging.dim_area AS a USING (area_code)
WHERE i.indicator_code IS NULL OR a.area_code IS NULL;

-- name: ten_neighbours_per_current_council
-- Current councils without exactly 10 statistical neighbours, and neighbours that are not councils.
SELECT a.area_code, a.area_name, count(n.neighbour_code) AS neighbours, 'not 10 neighbours' AS problem
FROM staging.dim_area AS a LEFT JOIN staging.dim_stat_neighbour AS n USING (area_code)
WHERE a.is_current
GROUP BY a.area_code, a.area_name
HAVING count(n.neighbour_code) <> 10
UNION ALL
SELECT n.area_code, n.neighbour_code::VARCHAR, n.neighbour_rank, 'neighbour is not a council'
FROM staging.dim_stat_neighbour AS n LEFT JOIN staging.dim_area AS a ON a.area_code = n.neighbour_code
WHERE a.area_kind IS DISTINCT FROM 'la';

-- name: current_council_count_is_plausible
-- Fewer than 140 current councils means the council list lost rows (England has 153).
SELECT count(*) AS current_councils FROM staging.dim_area WHERE is_current HAVING count(*) < 140;

-- name: percentages_within_0_100
-- Values of indicators whose unit is a percentage that lie outside 0-100 (a warning: take-up
-- rates above 100% and negative gaps are published legitimately).
SELECT f.indicator_code, f.area_code, f.period_label, f.value
FROM staging.fact_indicator_value AS f JOIN staging.dim_indicator AS i USING (indicator_code)
WHERE i.is_percentage AND (f.value < 0 OR f.value > 100);
