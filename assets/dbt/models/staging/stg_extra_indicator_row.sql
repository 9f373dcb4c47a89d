-- Indicators of the extra sources (EES and local files listed in pipeline/sources.yaml and read by
-- assets/sources into src.extra_indicator), each setting parsed. Metadata rules (docs/local-indicators.md):
--   code, name and topic must not be blank.
--   polarity: high, low or none in any case ('-' also means none); blank or anything else is an error.
--   year_type: academic, financial or calendar, with or without ' year'; anything else is an error.
--   dps: blank or a whole number 0-6. no_quartile: yes (never put in quartile bands), no or blank.
SELECT source_name, file, source_row,
       coalesce(trim(code), '') AS indicator_code,
       blank_to_null(name) AS indicator_name,
       blank_to_null(topic) AS topic,
       blank_to_null(unit) AS unit,
       polarity AS raw_polarity,
       CASE WHEN lower(trim(polarity)) IN ('high', 'low', 'none') THEN lower(trim(polarity))
            WHEN trim(polarity) = '-' THEN 'none' END AS polarity,
       dps AS raw_dps,
       CASE WHEN regexp_full_match(trim(dps), '[0-6]') THEN CAST(trim(dps) AS INTEGER) END AS dps,
       blank_to_null(dps) IS NOT NULL AND NOT regexp_full_match(trim(dps), '[0-6]') AS dps_invalid,
       year_type AS raw_year_type,
       CASE WHEN regexp_full_match(lower(trim(year_type)), '(academic|financial|calendar)( year)?')
            THEN trim(year_type) END AS year_type,
       no_quartile AS raw_no_quartile,
       CASE WHEN lower(trim(coalesce(no_quartile, ''))) IN ('yes', 'y', 'true') THEN true
            WHEN lower(trim(coalesce(no_quartile, ''))) IN ('no', 'n', 'false', '') THEN false END AS no_quartile,
       blank_to_null(description) AS description,
       blank_to_null(source_link) AS source_link
FROM {{ source('src', 'extra_indicator') }}
