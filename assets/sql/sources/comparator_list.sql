-- England and the regions of the release's council list (rows without a council type: LA numbers
-- 970 and 980-990; not the 'England (discontinued)' row), as a local indicator file may name them
-- for its comparators (assets/sources/local.py): by number or by name.
SELECT TRY_CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER) AS area_code, trim(c.la_name) AS area_name
FROM src.councils AS c
WHERE coalesce(trim(c.la_type), '') IN ('', 'NA', 'N/A', 'NULL')
  AND (TRY_CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER) = 970
       OR TRY_CAST(TRY_CAST(c.la_number AS DOUBLE) AS INTEGER) BETWEEN 980 AND 990)
