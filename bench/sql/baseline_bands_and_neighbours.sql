-- Baseline for the marts: the bands query plus each council's statistical-neighbour mean.
CREATE OR REPLACE TEMP TABLE baseline_bands_and_neighbours AS
SELECT b.*, avg(n_value.value) AS sn_mean, count(n_value.value) AS sn_n
FROM baseline_bands AS b
JOIN core.dim_stat_neighbour AS n ON n.area_code = b.area_code
LEFT JOIN core.fact_indicator_value AS n_value
       ON n_value.area_code = n.neighbour_code AND n_value.indicator_code = b.indicator_code
      AND n_value.period_label = b.period_label
GROUP BY ALL;
