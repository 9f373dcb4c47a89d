-- Baseline for the marts: one hand-written query giving each current council's quartile band
-- (R type-7 cut points over current councils with a value) for every indicator and period.
CREATE OR REPLACE TEMP TABLE baseline_bands AS
WITH pop AS (
    SELECT f.indicator_code, f.period_label, f.area_code, f.value
    FROM core.fact_indicator_value AS f JOIN core.dim_area AS a USING (area_code)
    WHERE a.is_current AND f.value IS NOT NULL
),
cuts AS (
    SELECT indicator_code, period_label, quantile_cont(value, [0.25, 0.5, 0.75]) AS q
    FROM pop GROUP BY ALL
)
SELECT p.*,
       CASE WHEN p.value <= c.q[1] THEN 1 WHEN p.value <= c.q[2] THEN 2 WHEN p.value <= c.q[3] THEN 3 ELSE 4 END AS quarter
FROM pop AS p JOIN cuts AS c USING (indicator_code, period_label);
