-- ten_neighbours_per_current_council: the offending rows (the test passes when there are none). Properties in models/core/dim_stat_neighbour.yml.
SELECT a.area_code, a.area_name, count(n.neighbour_code) AS neighbours, 'not 10 neighbours' AS problem
FROM {{ ref('dim_area') }} AS a LEFT JOIN {{ ref('dim_stat_neighbour') }} AS n USING (area_code)
WHERE a.is_current
GROUP BY a.area_code, a.area_name
HAVING count(n.neighbour_code) <> 10
UNION ALL
SELECT n.area_code, n.neighbour_code::VARCHAR, n.neighbour_rank, 'neighbour is not a council'
FROM {{ ref('dim_stat_neighbour') }} AS n LEFT JOIN {{ ref('dim_area') }} AS a ON a.area_code = n.neighbour_code
WHERE a.area_kind IS DISTINCT FROM 'la'
