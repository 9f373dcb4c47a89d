-- A code is defined once: a code that the LAIT release also uses (dictionary or data), or that two
-- extra metadata rows define, is an error naming both sources, and is added to neither
-- core.dim_indicator nor core.indicator_topic.
WITH lait AS (SELECT indicator_code FROM {{ ref('stg_lait_code') }}),
defined AS (
    SELECT *,
           count(*) OVER same_code AS definitions,
           string_agg('source ' || source_name || ' (' || file || coalesce(' row ' || source_row, '') || ')', ' and ')
               OVER same_code AS definers
    FROM {{ ref('stg_extra_indicator_row') }}
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
WHERE indicator_code IN (SELECT indicator_code FROM lait) OR definitions > 1
