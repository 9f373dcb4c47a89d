-- core.dim_stat_neighbour: each council's 10 statistical neighbours, ranked 1 (closest) to 10,
-- with the closeness word in lower case. Every code must be a council in core.dim_area.
-- A rejected cell is named by its sheet row and sheet column (area_column, neighbour_column,
-- closeness_column: the headers the loader found, e.g. 'LA num', 'SN3', 'SNP (next to SN3)').
CREATE OR REPLACE TABLE staging.neighbour_row AS
SELECT sheet, source_row, neighbour_rank, area_column, neighbour_column, closeness_column,
       area_code AS raw_area_code, neighbour_code AS raw_neighbour_code, closeness AS raw_closeness,
       area_number(area_code) AS area_code,
       area_number(neighbour_code) AS neighbour_code,
       lower(regexp_replace(trim(closeness), '\s+', ' ', 'g')) AS closeness
FROM src.neighbours;

CREATE OR REPLACE TABLE staging.dim_stat_neighbour AS
SELECT area_code, neighbour_code, CAST(neighbour_rank AS INTEGER) AS neighbour_rank, closeness
FROM staging.neighbour_row
WHERE area_code IS NOT NULL AND neighbour_code IS NOT NULL
ORDER BY area_code, neighbour_rank;

INSERT INTO staging.source_problem
SELECT 'neighbours', source_row, area_column, raw_area_code, 'not a whole-number LA code', 'error'
FROM staging.neighbour_row WHERE area_code IS NULL AND neighbour_rank = 1
UNION ALL
SELECT 'neighbours', source_row, neighbour_column, raw_neighbour_code,
       CASE WHEN raw_neighbour_code IS NULL THEN 'neighbour missing' ELSE 'not a whole-number LA code' END,
       'error'
FROM staging.neighbour_row WHERE neighbour_code IS NULL
UNION ALL
SELECT 'neighbours', n.source_row, n.area_column, n.raw_area_code, 'not a council in the council list', 'error'
FROM staging.neighbour_row AS n LEFT JOIN staging.dim_area AS a USING (area_code)
WHERE n.neighbour_rank = 1 AND n.area_code IS NOT NULL AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
SELECT 'neighbours', n.source_row, n.neighbour_column, n.raw_neighbour_code,
       'neighbour is not a council in the council list', 'error'
FROM staging.neighbour_row AS n LEFT JOIN staging.dim_area AS a ON a.area_code = n.neighbour_code
WHERE n.neighbour_code IS NOT NULL AND a.area_kind IS DISTINCT FROM 'la'
UNION ALL
SELECT 'neighbours', source_row, neighbour_column, raw_neighbour_code,
       'council is listed as its own neighbour', 'error'
FROM staging.neighbour_row WHERE area_code = neighbour_code
UNION ALL
SELECT 'neighbours', source_row, neighbour_column, raw_neighbour_code,
       'neighbour listed twice for the same council', 'error'
FROM staging.neighbour_row
WHERE neighbour_code IS NOT NULL
QUALIFY count(*) OVER (PARTITION BY area_code, neighbour_code) > 1
UNION ALL
SELECT 'neighbours', source_row, closeness_column, raw_closeness,
       'unknown closeness (expected extremely close, very close, close, somewhat close or not close)', 'error'
FROM staging.neighbour_row
WHERE closeness IS DISTINCT FROM 'extremely close' AND closeness IS DISTINCT FROM 'very close'
  AND closeness IS DISTINCT FROM 'close' AND closeness IS DISTINCT FROM 'somewhat close'
  AND closeness IS DISTINCT FROM 'not close'
UNION ALL
SELECT 'neighbours', NULL, 'LA num', CAST(a.area_code AS VARCHAR),
       'current council ' || a.area_name || ' has ' || count(n.neighbour_code) || ' neighbours, expected 10',
       'error'
FROM staging.dim_area AS a LEFT JOIN staging.dim_stat_neighbour AS n USING (area_code)
WHERE a.is_current
GROUP BY a.area_code, a.area_name
HAVING count(n.neighbour_code) <> 10;
