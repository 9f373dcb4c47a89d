-- marts.early_warning: one row per current council: its early-warning score as of the current
-- release (score_rule.sql), its ranks (1 = most warning) and band (score_rank.sql), and how
-- councils inspected with a score in the same band turned out.
WITH release AS (
    SELECT max(published_at)::DATE AS as_of_date FROM {{ source('core', 'release_history') }}
),
outcome AS (
    SELECT score_band, count(*) AS inspected, count(*) FILTER (WHERE is_ri_or_inadequate) AS ri_or_inadequate,
           min(year(inspection_end_date)) AS first_year, max(year(inspection_end_date)) AS last_year
    FROM {{ ref('backtest_inspection') }}
    WHERE score_band IS NOT NULL
    GROUP BY ALL
)
SELECT s.area_code, s.area_name, r.as_of_date, s.score, s.level, s.change,
       s.rank_national, s.rank_n, s.rank_region, s.region_n,
       s.score_band, s.n_concerns, s.n_positioned, s.n_judged,
       CASE WHEN s.score IS NULL AND s.n_positioned = 0
                THEN 'No score: no headline indicator could be compared for this council.'
            WHEN s.score IS NULL
                THEN 'No score: only ' || s.n_positioned || ' headline indicators could be compared for this council (half are needed).'
            WHEN o.inspected IS NULL THEN 'No inspected council had a score in this band.'
            ELSE 'Of the ' || o.inspected || ' inspections in ' || o.first_year || '-' || o.last_year
                 || ' of councils with a score in this band (' || s.score_band || ') at the time, '
                 || o.ri_or_inadequate || ' were judged requires improvement or inadequate.'
       END AS outcome_text
FROM ({{ score_rank(ref('score_current')) }}) AS s
CROSS JOIN release AS r
LEFT JOIN outcome AS o USING (score_band)
ORDER BY s.area_code
