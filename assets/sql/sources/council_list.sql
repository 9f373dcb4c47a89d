-- The councils of the release's council list (rows with a council type), with their LA numbers,
-- as a local indicator file may name them (assets/sources/local.py).
SELECT CAST(TRY_CAST(la_number AS DOUBLE) AS INTEGER) AS area_code, trim(la_name) AS area_name
FROM src.councils
WHERE nullif(trim(la_type), '') IS NOT NULL AND TRY_CAST(la_number AS DOUBLE) IS NOT NULL
