-- Rejected cells of the statistical-neighbour sheet, and current councils without 10 neighbours.
SELECT 'neighbours' AS file, source_row, area_column AS column_name, raw_area_code AS value,
       'not a whole-number LA code' AS problem, 'error' AS severity
FROM {{ ref('stg_neighbour_row') }} WHERE area_code IS NULL AND neighbour_rank = 1
UNION ALL
SELECT 'neighbours', source_row, neighbour_column, raw_neighbour_code,
       CASE WHEN raw_neighbour_code IS NULL THEN 'neighbour missing' ELSE 'not a whole-number LA code' END,
       'error'
FROM {{ ref('stg_neighbour_row') }} WHERE neighbour_code IS NULL
UNION ALL
SELECT 'neighbours', n.source_row, n.area_column, n.raw_area_code, 'not a council in the council list', 'error'
FROM {{ ref('stg_neighbour_row') }} AS n LEFT JOIN {{ ref('dim_area') }} AS a USING (area_code)
WHERE n.neighbour_rank = 1 AND n.area_code IS NOT NULL AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
SELECT 'neighbours', n.source_row, n.neighbour_column, n.raw_neighbour_code,
       'neighbour is not a council in the council list', 'error'
FROM {{ ref('stg_neighbour_row') }} AS n LEFT JOIN {{ ref('dim_area') }} AS a ON a.area_code = n.neighbour_code
WHERE n.neighbour_code IS NOT NULL AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
SELECT 'neighbours', source_row, neighbour_column, raw_neighbour_code,
       'council is listed as its own neighbour', 'error'
FROM {{ ref('stg_neighbour_row') }} WHERE area_code = neighbour_code
UNION ALL
SELECT 'neighbours', source_row, neighbour_column, raw_neighbour_code,
       'neighbour listed twice for the same council', 'error'
FROM {{ ref('stg_neighbour_row') }}
WHERE neighbour_code IS NOT NULL
QUALIFY count(*) OVER (PARTITION BY area_code, neighbour_code) > 1
UNION ALL
SELECT 'neighbours', source_row, closeness_column, raw_closeness,
       'unknown closeness (expected extremely close, very close, close, somewhat close or not close)', 'error'
FROM {{ ref('stg_neighbour_row') }}
WHERE closeness IS DISTINCT FROM 'extremely close' AND closeness IS DISTINCT FROM 'very close'
  AND closeness IS DISTINCT FROM 'close' AND closeness IS DISTINCT FROM 'somewhat close'
  AND closeness IS DISTINCT FROM 'not close'
UNION ALL
SELECT 'neighbours', NULL, 'LA num', CAST(a.area_code AS VARCHAR),
       'current council ' || a.area_name || ' has ' || count(n.neighbour_code) || ' neighbours, expected 10',
       'error'
FROM {{ ref('dim_area') }} AS a LEFT JOIN {{ ref('dim_stat_neighbour') }} AS n USING (area_code)
WHERE a.is_current
GROUP BY a.area_code, a.area_name
HAVING count(n.neighbour_code) <> 10
