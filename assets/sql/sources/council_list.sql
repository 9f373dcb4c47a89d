-- The councils of the release's council list (rows with a council type, not England or a region),
-- with their LA numbers and, for a council abolished by reorganisation, its successors
-- (src.area_succession), as a local indicator file may name them (assets/sources/local.py;
-- assets/marts/councils.py).
-- (It runs before the core macros exist; a number that is no council code, '1e999' say, is left out
-- here and refused by the core build's council checks.)
SELECT TRY_CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER) AS area_code, trim(c.la_name) AS area_name,
       (SELECT list(s.successor_code ORDER BY s.successor_code) FROM src.area_succession AS s
        WHERE s.predecessor_code = TRY_CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER)) AS successor_codes
FROM src.councils AS c
WHERE coalesce(trim(c.la_type), '') NOT IN ('', 'NA', 'N/A', 'NULL')
  AND TRY_CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER) IS NOT NULL
