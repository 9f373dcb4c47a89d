-- core.dim_indicator: one row per indicator code, from the data dictionary.
-- Settings are parsed per dictionary row, then the copies of a code listed under two
-- topics are merged by these rules (each conflict is written to staging.indicator_conflict):
--   polarity: the shared value; copies that disagree give 'none' (no judgement is safer than a wrong one)
--   dps: the largest of the copies (never hide a published decimal place)
--   no_quartile, discontinued: true if any copy says so
--   year type, texts and links: the copy that comes first in the file
--   last_update, next_update: the latest date among the copies; words in place of a date
--   ('TBC', 'Discontinued') are kept in last_update_note / next_update_note
-- Codes with data but no dictionary row get a row with in_dictionary = false, and refuse the release
-- (staging.source_problem, below).
CREATE OR REPLACE TABLE staging.dictionary_row AS
SELECT source_row,
       trim("Measure_short") AS indicator_code,
       blank_to_null("Topic") AS topic,
       blank_to_null("Measure") AS indicator_name,
       blank_to_null("Chart_title") AS chart_title,
       blank_to_null("y_axis_name") AS unit,
       "Polarity" AS raw_polarity,
       CASE WHEN blank_to_null("Polarity") IS NULL OR trim("Polarity") = '-' THEN 'none'
            WHEN lower(trim("Polarity")) IN ('high', 'low') THEN lower(trim("Polarity"))
       END AS polarity,
       "dps" AS raw_dps,
       TRY_CAST(blank_to_null("dps") AS INTEGER) AS dps,
       blank_to_null("Year_Type") AS year_type,
       -- The column flags indicators that must not be put in quartiles: 'N' (or Y/yes/true) sets it.
       coalesce(upper(trim("No_Quartile")) IN ('N', 'Y', 'YES', 'TRUE'), false) AS no_quartile,
       coalesce(lower(trim("Table_status")) = 'discontinued', false) AS discontinued,
       blank_to_null("Description") AS description,
       blank_to_null("Methodology") AS methodology,
       blank_to_null("Hyperlink(s)") AS source_link,
       excel_date("Last Update") AS last_update,
       excel_date("Next Update") AS next_update,
       -- Words published in place of a date ('TBC', 'Discontinued') are kept as notes.
       CASE WHEN excel_date("Last Update") IS NULL THEN blank_to_null("Last Update") END AS last_update_note,
       CASE WHEN excel_date("Next Update") IS NULL THEN blank_to_null("Next Update") END AS next_update_note
FROM src.dictionary;

CREATE OR REPLACE TABLE staging.dim_indicator AS
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
    FROM staging.dictionary_row
    WHERE indicator_code <> ''
    GROUP BY indicator_code
),
data_only AS (
    SELECT DISTINCT indicator_code FROM src.bds
    WHERE indicator_code NOT IN (SELECT indicator_code FROM merged)
)
SELECT m.*,
       m.indicator_code IN (SELECT indicator_code FROM src.bds) AS has_data,
       is_percentage_unit(m.unit) AS is_percentage
FROM merged AS m
UNION ALL BY NAME
SELECT indicator_code, indicator_code AS indicator_name, 'none' AS polarity,
       false AS no_quartile, false AS discontinued, false AS in_dictionary,
       true AS has_data, false AS is_percentage
FROM data_only
ORDER BY indicator_code;

CREATE OR REPLACE TABLE staging.indicator_topic AS
SELECT DISTINCT indicator_code, topic FROM staging.dictionary_row
WHERE indicator_code <> '' AND topic IS NOT NULL
ORDER BY ALL;

CREATE OR REPLACE TABLE staging.indicator_conflict AS
WITH settings AS (
    SELECT indicator_code, 'polarity' AS setting, polarity AS value, source_row FROM staging.dictionary_row
    UNION ALL SELECT indicator_code, 'dps', CAST(dps AS VARCHAR), source_row FROM staging.dictionary_row
    UNION ALL SELECT indicator_code, 'no_quartile', CAST(no_quartile AS VARCHAR), source_row FROM staging.dictionary_row
    UNION ALL SELECT indicator_code, 'year_type', year_type, source_row FROM staging.dictionary_row
    UNION ALL SELECT indicator_code, 'discontinued', CAST(discontinued AS VARCHAR), source_row FROM staging.dictionary_row
)
SELECT s.indicator_code, s.setting,
       string_agg(coalesce(s.value, '(blank)') || ' (row ' || s.source_row || ')', '; ' ORDER BY s.source_row)
           AS values_seen,
       CASE s.setting
           WHEN 'polarity' THEN any_value(i.polarity)
           WHEN 'dps' THEN CAST(any_value(i.dps) AS VARCHAR)
           WHEN 'no_quartile' THEN CAST(any_value(i.no_quartile) AS VARCHAR)
           WHEN 'year_type' THEN any_value(i.year_type)
           WHEN 'discontinued' THEN CAST(any_value(i.discontinued) AS VARCHAR)
       END AS resolved_to
FROM settings AS s JOIN staging.dim_indicator AS i USING (indicator_code)
GROUP BY s.indicator_code, s.setting
HAVING count(DISTINCT coalesce(s.value, '(blank)')) > 1
ORDER BY ALL;

INSERT INTO staging.source_problem
SELECT 'dictionary', source_row, 'Measure_short', NULL, 'indicator code is blank', 'error'
FROM staging.dictionary_row WHERE coalesce(indicator_code, '') = ''
UNION ALL
SELECT 'dictionary', source_row, 'Polarity', raw_polarity,
       'unknown polarity (expected High, Low, - or NA)', 'error'
FROM staging.dictionary_row WHERE polarity IS NULL
UNION ALL
SELECT 'dictionary', source_row, 'dps', raw_dps, 'decimal places is not a whole number', 'warning'
FROM staging.dictionary_row WHERE dps IS NULL AND blank_to_null(raw_dps) IS NOT NULL
UNION ALL
-- An indicator with data but no dictionary row has no name, polarity or decimal places to show or
-- judge it by: the release is refused, naming the code (neither real release has one).
SELECT 'dictionary', NULL, 'Measure_short', b.indicator_code,
       'no row for this indicator, which has values in the data set (first at row ' || min(b.source_row)
       || '): its name, polarity and decimal places are unknown; restore its dictionary row', 'error'
FROM src.bds AS b JOIN staging.dim_indicator AS i USING (indicator_code)
WHERE NOT i.in_dictionary
GROUP BY b.indicator_code;
