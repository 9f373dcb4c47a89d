-- Settings on which the copies of a duplicated dictionary row disagree, and what each was resolved to
-- (the merge rules: stg_lait_indicator).
WITH settings AS (
    SELECT indicator_code, 'polarity' AS setting, polarity AS value, source_row FROM {{ ref('stg_dictionary_row') }}
    UNION ALL SELECT indicator_code, 'dps', CAST(dps AS VARCHAR), source_row FROM {{ ref('stg_dictionary_row') }}
    UNION ALL SELECT indicator_code, 'no_quartile', CAST(no_quartile AS VARCHAR), source_row FROM {{ ref('stg_dictionary_row') }}
    UNION ALL SELECT indicator_code, 'year_type', year_type, source_row FROM {{ ref('stg_dictionary_row') }}
    UNION ALL SELECT indicator_code, 'discontinued', CAST(discontinued AS VARCHAR), source_row FROM {{ ref('stg_dictionary_row') }}
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
FROM settings AS s JOIN {{ ref('stg_lait_indicator') }} AS i USING (indicator_code)
GROUP BY s.indicator_code, s.setting
HAVING count(DISTINCT coalesce(s.value, '(blank)')) > 1
ORDER BY ALL
