-- Refused cells of the self-evaluation files: a council that is not a current council, an unknown
-- service area or word, an empty view, and a second view of the same council and service area;
-- named as the file names its column (src.self_evaluation_columns).
WITH problems AS (
    SELECT source_file, source_row, 'la_code' AS column_name, la_code AS value,
           'not the LA code of a current council in the council list' AS problem
    FROM {{ ref('stg_self_evaluation_typed') }}
    WHERE area_code IS NULL OR area_code NOT IN (
        SELECT area_code FROM {{ ref('dim_area') }} WHERE area_kind = 'la' AND is_current)
    UNION ALL
    SELECT source_file, source_row, 'service_area', service_area,
           'not a service area of pipeline/headline_indicators.yaml ('
           || (SELECT string_agg(DISTINCT meaning, ', ' ORDER BY meaning) FROM {{ source('src', 'self_evaluation_words') }}
               WHERE column_name = 'service_area') || ')'
    FROM {{ ref('stg_self_evaluation_typed') }} WHERE service_area_key IS NULL
    UNION ALL
    SELECT source_file, source_row, 'our_view', our_view,
           CASE WHEN our_view IS NULL THEN 'empty: ' ELSE 'not ' END
           || 'one of strength, secure, area for development'
    FROM {{ ref('stg_self_evaluation_typed') }} WHERE our_view_word IS NULL
    UNION ALL
    SELECT source_file, source_row, 'direction', direction,
           'not one of improving, stable, declining (or empty)'
    FROM {{ ref('stg_self_evaluation_typed') }} WHERE direction IS NOT NULL AND direction_word IS NULL
    UNION ALL
    SELECT t.source_file, t.source_row, 'service_area', t.service_area,
           'a second view of this council''s service area (the first is ' || f.source_file || ' row '
           || f.source_row || ')'
    FROM {{ ref('stg_self_evaluation_typed') }} AS t
    JOIN {{ ref('stg_self_evaluation_typed') }} AS f
      ON f.area_code = t.area_code AND f.service_area_key = t.service_area_key AND f.nth_view = 1
    WHERE t.nth_view > 1 AND t.area_code IS NOT NULL AND t.service_area_key IS NOT NULL
)
SELECT p.source_file AS file, p.source_row, c.file_column AS column_name, p.value, p.problem, 'error' AS severity
FROM problems AS p
JOIN {{ source('src', 'self_evaluation_columns') }} AS c ON c.source_file = p.source_file AND c.column_name = p.column_name
