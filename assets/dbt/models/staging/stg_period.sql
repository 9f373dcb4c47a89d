-- Every distinct (indicator, period label) parsed into years, kind and status.
-- Label = base form + optional status suffix in brackets.
--   Suffix: none or (Final) -> final; (Rev)/(Revised) -> revised; (prov) -> provisional; (OT) -> outturn.
--   'YYYY'           one year Y. For academic- and financial-year indicators it is the year ending
--                    in Y (start Y-1, end Y); otherwise the calendar year Y (start = end = Y).
--   'YYYY-YY'/'YYYY/YY'  start YYYY, end the year YY of the same century (rolled over when smaller).
--                    One year apart: an academic or financial year (by the dictionary's year type;
--                    '/' means academic and '-' financial when the year type is neither).
--                    Calendar-year indicators, or more than one year apart: a multi-year rolling window.
--   'YYYY/YY-YY/YY'  a rolling window from the start of the first year to the end of the last.
-- period_order = end year * 10 + status rank (provisional 1, final 2, outturn 3, revised 4),
-- so it sorts periods within an indicator and a later status of the same year sorts later.
-- Anything else (e.g. the bogus label '0') is not a period: rejected with a reason.
-- The labels of the extra sources are parsed by the same rules: EES periods in the form
-- stg_extra_value_placed gives them (parse_label), with the year kind of their time_identifier.
WITH labels AS (
    SELECT DISTINCT b.indicator_code, b.period_label, b.period_label AS parse_label, i.year_type
    FROM {{ source('src', 'bds') }} AS b LEFT JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code)
    UNION
    SELECT DISTINCT e.indicator_code, e.period_label, e.parse_label, coalesce(e.year_kind, i.year_type)
    FROM {{ ref('stg_extra_value_row') }} AS e LEFT JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code)
    WHERE e.parse_label IS NOT NULL
),
split AS (
    SELECT *,
           trim(regexp_replace(coalesce(parse_label, ''), '\(([^)]*)\)\s*$', '')) AS base,
           lower(trim(regexp_extract(coalesce(parse_label, ''), '\(([^)]*)\)\s*$', 1))) AS suffix,
           CASE WHEN year_type ILIKE 'academic%' THEN 'academic'
                WHEN year_type ILIKE 'financial%' THEN 'financial'
                ELSE 'calendar' END AS year_kind
    FROM labels
),
shaped AS (
    SELECT *,
           TRY_CAST(substr(base, 1, 4) AS INTEGER) AS first_year,
           CASE WHEN regexp_full_match(base, '\d{4}') THEN 'single'
                WHEN regexp_full_match(base, '\d{4}[-/]\d{2}') THEN 'pair'
                WHEN regexp_full_match(base, '\d{4}/\d{2}-\d{2}/\d{2}') THEN 'window_of_years'
           END AS form,
           TRY_CAST(right(base, 2) AS INTEGER) AS last_two
    FROM split
),
years AS (
    SELECT *,
           CASE form
               WHEN 'single' THEN CASE WHEN year_kind = 'calendar' THEN first_year ELSE first_year - 1 END
               ELSE first_year
           END AS start_year,
           CASE form
               WHEN 'single' THEN first_year
               ELSE (first_year // 100) * 100 + last_two
                    + CASE WHEN last_two < first_year % 100 THEN 100 ELSE 0 END
           END AS end_year
    FROM shaped
)
SELECT indicator_code, period_label,
       start_year AS period_start_year,
       end_year AS period_end_year,
       CASE WHEN form = 'single' THEN year_kind
            WHEN form = 'pair' AND end_year - start_year = 1 AND year_kind <> 'calendar' THEN year_kind
            WHEN form = 'pair' AND end_year - start_year = 1 AND year_type IS NULL
                THEN CASE WHEN contains(base, '/') THEN 'academic' ELSE 'financial' END
            ELSE 'rolling'
       END AS period_kind,
       CASE WHEN suffix IN ('', 'final') THEN 'final'
            WHEN suffix IN ('rev', 'revised') THEN 'revised'
            WHEN suffix IN ('prov', 'provisional', 'p') THEN 'provisional'
            WHEN suffix IN ('ot', 'outturn') THEN 'outturn'
       END AS period_status,
       end_year * 10 + CASE WHEN suffix IN ('prov', 'provisional', 'p') THEN 1
                            WHEN suffix IN ('', 'final') THEN 2
                            WHEN suffix IN ('ot', 'outturn') THEN 3
                            ELSE 4 END AS period_order,
       CASE WHEN form IS NULL THEN 'not a period label: expected YYYY, YYYY-YY, YYYY/YY or YYYY/YY-YY/YY'
            WHEN start_year NOT BETWEEN 1990 AND 2100 OR end_year NOT BETWEEN 1990 AND 2100
                THEN 'year outside 1990-2100'
            WHEN end_year < start_year THEN 'period ends before it starts'
            WHEN suffix NOT IN ('', 'final', 'rev', 'revised', 'prov', 'provisional', 'p', 'ot', 'outturn')
                THEN 'unknown status suffix (' || suffix || ')'
       END AS rejected_reason
FROM years
