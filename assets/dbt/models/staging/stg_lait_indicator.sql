-- The LAIT release's indicators: one row per dictionary code, its copies listed under two topics
-- merged by these rules (each conflict is in core.indicator_conflict):
--   polarity: the shared value; copies that disagree give 'none' (no judgement is safer than a wrong one)
--   dps: the largest of the copies (never hide a published decimal place)
--   no_quartile, discontinued: true if any copy says so
--   year type, texts and links: the copy that comes first in the file
--   last_update, next_update: the latest date among the copies; words in place of a date
--   ('TBC', 'Discontinued') are kept in last_update_note / next_update_note
-- Codes with data but no dictionary row get a row with in_dictionary = false, and refuse the release
-- (stg_dictionary_problem).
WITH merged AS (
    SELECT indicator_code,
           arg_min(indicator_name, source_row) FILTER (WHERE indicator_name IS NOT NULL) AS indicator_name,
           arg_min(chart_title, source_row) FILTER (WHERE chart_title IS NOT NULL) AS chart_title,
           arg_min(unit, source_row) FILTER (WHERE unit IS NOT NULL) AS unit,
           CASE WHEN count(DISTINCT polarity) = 1 THEN any_value(polarity) ELSE 'none' END AS polarity,
           max(dps) AS dps,
           arg_min(year_type, source_row) FILTER (WHERE year_type IS NOT NULL) AS year_type,
           bool_or(no_quartile) AS no_quartile,
           bool_or(discontinued) AS discontinued,
           arg_min(description, source_row) FILTER (WHERE description IS NOT NULL) AS description,
           arg_min(methodology, source_row) FILTER (WHERE methodology IS NOT NULL) AS methodology,
           arg_min(source_link, source_row) FILTER (WHERE source_link IS NOT NULL) AS source_link,
           max(last_update) AS last_update,
           max(next_update) AS next_update,
           arg_min(last_update_note, source_row) FILTER (WHERE last_update_note IS NOT NULL) AS last_update_note,
           arg_min(next_update_note, source_row) FILTER (WHERE next_update_note IS NOT NULL) AS next_update_note,
           true AS in_dictionary
    FROM {{ ref('stg_dictionary_row') }}
    WHERE indicator_code <> ''
    GROUP BY indicator_code
),
data_only AS (
    SELECT DISTINCT indicator_code FROM {{ source('src', 'bds') }}
    WHERE indicator_code NOT IN (SELECT indicator_code FROM merged)
)
SELECT m.*,
       m.indicator_code IN (SELECT indicator_code FROM {{ source('src', 'bds') }}) AS has_data,
       is_percentage_unit(m.unit) AS is_percentage
FROM merged AS m
UNION ALL BY NAME
SELECT indicator_code, indicator_code AS indicator_name, 'none' AS polarity,
       false AS no_quartile, false AS discontinued, false AS in_dictionary,
       true AS has_data, false AS is_percentage
FROM data_only
ORDER BY indicator_code
