-- Each council's 10 statistical neighbours, ranked 1 (closest) to 10, with the closeness word in
-- lower case. Every code must be a council in core.dim_area (stg_neighbour_problem).
SELECT area_code, neighbour_code, CAST(neighbour_rank AS INTEGER) AS neighbour_rank, closeness
FROM {{ ref('stg_neighbour_row') }}
WHERE area_code IS NOT NULL AND neighbour_code IS NOT NULL
ORDER BY area_code, neighbour_rank
