-- marts.series_position: one row per compared period of a polar indicator and current council:
-- where the council stands against England in units of the national spread, and when the
-- figure was public. The single input of the signal rule (signal_rule.sql) and of the backtests.
-- Rules (docs/methods.md, "Position against England", "Publication lag", "Pandemic periods"):
--   spread = national IQR / 1.349 (the robust standard deviation across councils: equal to the
--     standard deviation for normally distributed values); null when the IQR is 0.
--   position = gap_to_england / spread (positive = better than England), only for compared rows
--     (ranked: polarity high/low, not No_Quartile, >= 20 councils, not a small council) whose
--     England figure lies within the councils' range [q0, q100] (FirstYJS publishes an England
--     figure outside every council's: not like for like, so no position).
--   period_end_date: the collection's period end (below); for an unlisted indicator the end of the
--     period's last year by the dictionary's Year_Type: academic
--     31 August, financial 31 March, 'Annual (end of Sept)' 30 September, anything else
--     (calendar, annual, January census) 31 December.
--   collection, available_from: the publication calendar (pipeline/publication_calendar.yaml,
--     read into the temporary table publication_row by assets/marts/publication_calendar.py): the
--     collection's period end in the period's end year, and the day its figures count as public
--     (available_month-available_day of end year + years_after_end). An indicator no collection
--     publishes ('unlisted') keeps the old rule: period_end_date + 12 months + 1 day. A successor
--     council's figures (core.area_succession) count as public no earlier than the day it was
--     created (1 April of year_of_change): its figures for earlier years were back-cast later.
--   tie_share = share of the national population with exactly this value (floor and ceiling
--     ties such as 0% or 100%).
--   is_pandemic: an academic year ending in 2020 or 2021 (school closures, cancelled exams,
--     teacher-assessed grades, suspended absence and exclusion collections).
WITH indicator AS (
    SELECT indicator_code,
           CASE WHEN year_type ILIKE 'academic%' THEN 8
                WHEN year_type ILIKE 'financial%' THEN 3
                WHEN year_type ILIKE '%end of sept%' THEN 9
                ELSE 12 END AS end_month
    FROM {{ ref('dim_indicator') }}
),
period AS (
    SELECT DISTINCT indicator_code, period_label, period_kind, period_status
    FROM {{ ref('fact_indicator_value') }}
),
compared AS (
    -- the rows positioned: ranked (so each has a value: the inner join to compared_value below keeps
    -- every one), with an England figure
    SELECT * FROM {{ ref('benchmark') }} WHERE rank IS NOT NULL AND england_value IS NOT NULL
),
compared_value AS (
    -- how many councils hold each value of a period, for tie_share (a grouping: a window over the
    -- rows cost twice as much)
    SELECT indicator_code, period_label, value, count(*) AS councils
    FROM compared
    GROUP BY ALL
)
SELECT b.indicator_code, b.area_code, b.period_label, b.period_end_year, b.period_order,
       p.period_kind, p.period_status,
       b.value, b.england_value, b.sn_mean, b.gap_to_england, b.gap_to_sn,
       b.quartile_band, b.percentile,
       round((b.q75 - b.q25) / 1.349, 10) AS spread,
       CASE WHEN b.q75 > b.q25 AND b.england_value BETWEEN b.q0 AND b.q100
            THEN round(b.gap_to_england / ((b.q75 - b.q25) / 1.349), 10) END AS position,
       coalesce(c.collection, 'unlisted') AS collection,
       coalesce(make_date(b.period_end_year, c.period_end_month, c.period_end_day),
                last_day(make_date(b.period_end_year, i.end_month, 1))) AS period_end_date,
       greatest(coalesce(make_date(b.period_end_year + c.years_after_end, c.available_month, c.available_day),
                         (last_day(make_date(b.period_end_year, i.end_month, 1)) + INTERVAL 12 MONTH
                          + INTERVAL 1 DAY)::DATE),
                make_date(n.year_of_change, 4, 1)) AS available_from,
       p.period_kind = 'academic' AND b.period_end_year IN (2020, 2021) AS is_pandemic,
       round(tie.councils / b.national_n, 10) AS tie_share
FROM compared AS b
JOIN indicator AS i USING (indicator_code)
JOIN period AS p USING (indicator_code, period_label)
LEFT JOIN {{ ref('publication_row') }} AS c USING (indicator_code)
LEFT JOIN (SELECT successor_code AS area_code, max(year_of_change) AS year_of_change
           FROM {{ ref('area_succession') }} GROUP BY ALL) AS n USING (area_code)
JOIN compared_value AS tie USING (indicator_code, period_label, value)
ORDER BY b.indicator_code, b.area_code, b.period_order
