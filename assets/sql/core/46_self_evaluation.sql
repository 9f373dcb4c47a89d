-- core.self_evaluation: one row per council and service area a council has given its view of,
-- from the landed self-evaluation files (src.self_evaluation_rows, read by
-- assets/self_evaluations/read.py: CSV files and filled-in frameworks, cells as written).
-- Words are matched in lower case against src.self_evaluation_words: a service area by its key
-- in pipeline/headline_indicators.yaml or its heading in the profile, a view (strength, secure,
-- area for development), a direction (improving, stable, declining, or empty).
-- Every refused cell goes to staging.source_problem as an error (so nothing is published):
-- a council that is not a current council, an unknown service area or word, an empty view, and
-- a second view of the same council and service area.
CREATE OR REPLACE TEMP MACRO self_evaluation_word(column_text, text) AS
    (SELECT meaning FROM src.self_evaluation_words WHERE column_name = column_text AND word = lower(trim(text)));

CREATE OR REPLACE TABLE staging.self_evaluation_typed AS
SELECT r.*,
       area_number(r.la_code) AS area_code,
       self_evaluation_word('service_area', r.service_area) AS service_area_key,
       self_evaluation_word('our_view', r.our_view) AS our_view_word,
       self_evaluation_word('direction', r.direction) AS direction_word,
       row_number() OVER (PARTITION BY area_number(r.la_code), self_evaluation_word('service_area', r.service_area)
                          ORDER BY r.source_file, r.source_row) AS nth_view
FROM src.self_evaluation_rows AS r;

CREATE OR REPLACE TABLE staging.self_evaluation_source AS FROM src.self_evaluation_source;

CREATE OR REPLACE TABLE staging.self_evaluation AS
SELECT t.area_code,
       t.service_area_key AS service_area,
       t.our_view_word AS our_view,
       t.direction_word AS direction,
       t.evidence,
       t.source_file,
       CAST(t.source_row AS INTEGER) AS source_row
FROM staging.self_evaluation_typed AS t
JOIN staging.dim_area AS a ON a.area_code = t.area_code AND a.area_kind = 'la' AND a.is_current
WHERE t.service_area_key IS NOT NULL AND t.our_view_word IS NOT NULL AND t.nth_view = 1
ORDER BY t.area_code, t.service_area_key;

INSERT INTO staging.source_problem
WITH problems AS (
    SELECT source_file, source_row, 'la_code' AS column_name, la_code AS value,
           'not the LA code of a current council in the council list' AS problem
    FROM staging.self_evaluation_typed
    WHERE area_code IS NULL OR area_code NOT IN (
        SELECT area_code FROM staging.dim_area WHERE area_kind = 'la' AND is_current)
    UNION ALL
    SELECT source_file, source_row, 'service_area', service_area,
           'not a service area of pipeline/headline_indicators.yaml ('
           || (SELECT string_agg(DISTINCT meaning, ', ' ORDER BY meaning) FROM src.self_evaluation_words
               WHERE column_name = 'service_area') || ')'
    FROM staging.self_evaluation_typed WHERE service_area_key IS NULL
    UNION ALL
    SELECT source_file, source_row, 'our_view', our_view,
           CASE WHEN our_view IS NULL THEN 'empty: ' ELSE 'not ' END
           || 'one of strength, secure, area for development'
    FROM staging.self_evaluation_typed WHERE our_view_word IS NULL
    UNION ALL
    SELECT source_file, source_row, 'direction', direction,
           'not one of improving, stable, declining (or empty)'
    FROM staging.self_evaluation_typed WHERE direction IS NOT NULL AND direction_word IS NULL
    UNION ALL
    SELECT t.source_file, t.source_row, 'service_area', t.service_area,
           'a second view of this council''s service area (the first is ' || f.source_file || ' row '
           || f.source_row || ')'
    FROM staging.self_evaluation_typed AS t
    JOIN staging.self_evaluation_typed AS f
      ON f.area_code = t.area_code AND f.service_area_key = t.service_area_key AND f.nth_view = 1
    WHERE t.nth_view > 1 AND t.area_code IS NOT NULL AND t.service_area_key IS NOT NULL
)
SELECT p.source_file, p.source_row, c.file_column, p.value, p.problem, 'error'
FROM problems AS p
JOIN src.self_evaluation_columns AS c ON c.source_file = p.source_file AND c.column_name = p.column_name;
