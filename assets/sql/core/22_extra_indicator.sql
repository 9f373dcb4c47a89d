-- Indicators of the extra sources (EES and local files listed in pipeline/sources.yaml and read by
-- assets/sources into src.extra_indicator), added to staging.dim_indicator (source_name says where
-- each indicator comes from: 'LAIT' or the source's name) and staging.indicator_topic.
-- Metadata rules (docs/local-indicators.md):
--   code, name and topic must not be blank.
--   polarity: high, low or none in any case ('-' also means none); blank or anything else is an error.
--   year_type: academic, financial or calendar, with or without ' year'; anything else is an error.
--   dps: blank or a whole number 0-6. no_quartile: yes (never put in quartile bands), no or blank.
-- A code is defined once: a code that the LAIT release also uses (dictionary or data), or that two
-- extra metadata rows define, is an error naming both sources, and is added to neither table.
CREATE OR REPLACE TABLE staging.extra_indicator_row AS
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
FROM src.extra_indicator;

-- Every code the LAIT release uses (dictionary or data): an extra source may not define or add
-- values to one (here for the metadata rows, in 25_extra_value.sql for the data rows).
CREATE OR REPLACE TABLE staging.lait_code AS
SELECT indicator_code FROM staging.dictionary_row
UNION
SELECT indicator_code FROM src.bds;

CREATE OR REPLACE TABLE staging.extra_indicator_clash AS
WITH lait AS (SELECT indicator_code FROM staging.lait_code),
defined AS (
    SELECT *,
           count(*) OVER same_code AS definitions,
           string_agg('source ' || source_name || ' (' || file || coalesce(' row ' || source_row, '') || ')', ' and ')
               OVER same_code AS definers
    FROM staging.extra_indicator_row
    WHERE indicator_code <> ''
    WINDOW same_code AS (PARTITION BY indicator_code ORDER BY source_name, source_row
                         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
SELECT file, source_row, indicator_code,
       CASE WHEN indicator_code IN (SELECT indicator_code FROM lait)
            THEN 'indicator code ' || indicator_code || ' is defined by source ' || source_name
                 || ' and by the LAIT release; give the extra indicator a code of its own'
            ELSE 'indicator code ' || indicator_code || ' is defined ' || definitions || ' times, by '
                 || definers || '; give each indicator a code of its own'
       END AS problem
FROM defined
WHERE indicator_code IN (SELECT indicator_code FROM lait) OR definitions > 1;

ALTER TABLE staging.dim_indicator ADD COLUMN source_name VARCHAR DEFAULT 'LAIT';

INSERT INTO staging.dim_indicator BY NAME
SELECT indicator_code, indicator_name, indicator_name AS chart_title, unit, polarity, dps, year_type,
       no_quartile, false AS discontinued, description, source_link,
       true AS in_dictionary,
       indicator_code IN (SELECT indicator_code FROM src.extra_value) AS has_data,
       is_percentage_unit(unit) AS is_percentage,
       source_name
FROM staging.extra_indicator_row
WHERE indicator_code <> '' AND indicator_code NOT IN (SELECT indicator_code FROM staging.extra_indicator_clash);

INSERT INTO staging.indicator_topic
SELECT indicator_code, topic FROM staging.extra_indicator_row
WHERE indicator_code <> '' AND topic IS NOT NULL
  AND indicator_code NOT IN (SELECT indicator_code FROM staging.extra_indicator_clash);

INSERT INTO staging.source_problem
SELECT file, source_row, column_name, value, problem, 'error' FROM src.extra_problem
UNION ALL
SELECT file, source_row, 'code', indicator_code, problem, 'error' FROM staging.extra_indicator_clash
UNION ALL
SELECT file, source_row, 'code', NULL, 'indicator code is blank', 'error'
FROM staging.extra_indicator_row WHERE indicator_code = ''
UNION ALL
SELECT file, source_row, 'name', NULL, 'indicator name is blank', 'error'
FROM staging.extra_indicator_row WHERE indicator_name IS NULL
UNION ALL
SELECT file, source_row, 'topic', NULL, 'topic is blank', 'error'
FROM staging.extra_indicator_row WHERE topic IS NULL
UNION ALL
SELECT file, source_row, 'polarity', raw_polarity, 'unknown polarity (expected high, low or none)', 'error'
FROM staging.extra_indicator_row WHERE polarity IS NULL
UNION ALL
SELECT file, source_row, 'dps', raw_dps, 'decimal places is not a whole number from 0 to 6', 'error'
FROM staging.extra_indicator_row WHERE dps_invalid
UNION ALL
SELECT file, source_row, 'year_type', raw_year_type, 'unknown year type (expected academic, financial or calendar)', 'error'
FROM staging.extra_indicator_row WHERE year_type IS NULL
UNION ALL
SELECT file, source_row, 'no_quartile', raw_no_quartile, 'expected yes, no or blank', 'error'
FROM staging.extra_indicator_row WHERE no_quartile IS NULL;
