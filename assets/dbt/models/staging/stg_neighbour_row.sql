-- The statistical-neighbour sheet, a row per council and neighbour rank, codes typed and the
-- closeness word in lower case. A rejected cell is named by its sheet row and sheet column
-- (area_column, neighbour_column, closeness_column: the headers the loader found, e.g. 'LA num',
-- 'SN3', 'SNP (next to SN3)').
SELECT sheet, source_row, neighbour_rank, area_column, neighbour_column, closeness_column,
       area_code AS raw_area_code, neighbour_code AS raw_neighbour_code, closeness AS raw_closeness,
       area_number(area_code) AS area_code,
       area_number(neighbour_code) AS neighbour_code,
       lower(regexp_replace(trim(closeness), '\s+', ' ', 'g')) AS closeness
FROM {{ source('src', 'neighbours') }}
