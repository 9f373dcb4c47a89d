-- The councils of the release's council list (rows with a council type), with their LA numbers,
-- as a local indicator file may name them (assets/sources/local.py).
-- (It runs before the core macros exist; a number that is no council code, '1e999' say, is left out
-- here and refused by the core build's council checks.)
SELECT TRY_CAST(TRY_CAST(la_number AS DOUBLE) AS INTEGER) AS area_code, trim(la_name) AS area_name
FROM src.councils
WHERE nullif(trim(la_type), '') IS NOT NULL AND TRY_CAST(TRY_CAST(la_number AS DOUBLE) AS INTEGER) IS NOT NULL
