-- The councils of the release's council list (rows with a council type, not England or a region),
-- with their LA numbers and, for a council abolished by reorganisation, its successors
-- (src.area_succession), as a local indicator file may name them (assets/sources/local.py;
-- assets/marts/councils.py).
SELECT CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER) AS area_code, trim(c.la_name) AS area_name,
       (SELECT list(s.successor_code ORDER BY s.successor_code) FROM src.area_succession AS s
        WHERE s.predecessor_code = CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER)) AS successor_codes
FROM src.councils AS c
WHERE coalesce(trim(c.la_type), '') NOT IN ('', 'NA', 'N/A', 'NULL') AND TRY_CAST(c.la_number AS DOUBLE) IS NOT NULL
