-- The early-warning scores as of one date, most warning first (`peerdata early-warning`): the
-- ranked scores of score_rank.sql with the council's concerns as of that date, largest fall first,
-- and the newest headline period the score could use.
SELECT r.rank_national, r.area_code, r.area_name, r.region_name, r.score, r.score_band,
       r.n_concerns, r.n_positioned,
       string_agg(i.indicator_name || ' (' || s.latest_period || ')', '; ' ORDER BY s.change_in_noise_units)
           FILTER (WHERE s.signal = 'concern') AS concerns,
       max(s.latest_end_year) AS newest_end_year
FROM score_ranked AS r
LEFT JOIN signal_asof AS s ON s.area_code = r.area_code
LEFT JOIN core.dim_indicator AS i ON i.indicator_code = s.indicator_code
GROUP BY ALL
ORDER BY r.rank_national NULLS LAST, r.area_name;
