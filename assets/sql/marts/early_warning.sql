-- marts.early_warning: one row per current council: its early-warning score as of the current
-- release (score_rule.sql), its ranks (1 = most warning), its band (the cut points fitted on the
-- backtest's fit split) and how councils inspected with a score in the same band turned out.
CREATE OR REPLACE TABLE marts.early_warning AS
WITH cut AS (
    SELECT any_value(band_cut_lower) AS lower_cut, any_value(band_cut_higher) AS higher_cut
    FROM marts.backtest_inspection
),
release AS (
    SELECT max(published_at)::DATE AS as_of_date FROM core.release_history
),
scored AS (
    SELECT s.area_code, a.area_name, a.region_name, s.score, s.level, s.change, s.n_concerns,
           s.n_positioned, s.n_judged,
           CASE WHEN s.score IS NULL OR c.lower_cut IS NULL THEN NULL
                WHEN s.score <= c.lower_cut THEN 'lower'
                WHEN s.score <= c.higher_cut THEN 'middle'
                ELSE 'higher' END AS score_band
    FROM score_asof AS s
    JOIN core.dim_area AS a USING (area_code)
    CROSS JOIN cut AS c
),
outcome AS (
    SELECT score_band, count(*) AS inspected, count(*) FILTER (WHERE is_ri_or_inadequate) AS ri_or_inadequate,
           min(year(inspection_end_date)) AS first_year, max(year(inspection_end_date)) AS last_year
    FROM marts.backtest_inspection
    WHERE score_band IS NOT NULL
    GROUP BY ALL
)
SELECT s.area_code, s.area_name, r.as_of_date, s.score, s.level, s.change,
       CASE WHEN s.score IS NOT NULL THEN rank() OVER (PARTITION BY s.score IS NULL ORDER BY s.score DESC) END
           AS rank_national,
       count(s.score) OVER () AS rank_n,
       CASE WHEN s.score IS NOT NULL
            THEN rank() OVER (PARTITION BY s.region_name, s.score IS NULL ORDER BY s.score DESC) END AS rank_region,
       count(s.score) OVER (PARTITION BY s.region_name) AS region_n,
       s.score_band, s.n_concerns, s.n_positioned, s.n_judged,
       CASE WHEN s.score IS NULL THEN 'No score: no headline indicator could be compared for this council.'
            WHEN o.inspected IS NULL THEN 'No inspected council had a score in this band.'
            ELSE 'Of the ' || o.inspected || ' inspections in ' || o.first_year || '-' || o.last_year
                 || ' of councils with a score in this band (' || s.score_band || ') at the time, '
                 || o.ri_or_inadequate || ' were judged requires improvement or inadequate.'
       END AS outcome_text
FROM scored AS s
CROSS JOIN release AS r
LEFT JOIN outcome AS o USING (score_band)
ORDER BY s.area_code;
