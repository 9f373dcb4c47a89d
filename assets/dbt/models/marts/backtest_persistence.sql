-- marts.backtest_persistence: why a concern does not foresee a further fall at the next period.
-- For every headline series with a polarity (marts.series_position, compared periods that are
-- neither provisional nor pandemic years, in order), each run of three successive periods
-- before -> judged -> next gives two moves against England: the move into the judged period
-- (position(judged) - position(before)) and the move out of it (position(next) - position(judged)).
-- One row per split and indicator, plus one row per split for all headline indicators together
-- (indicator_code NULL):
--   n_moves: runs of three periods;
--   move_correlation: Pearson correlation of the move in with the move out (negative = a fall
--     tends to be followed by a partial recovery: regression to the mean);
--   share_fell_after_fall / share_fell_after_rise: the share of moves out that fell (lower
--     position) after a move in that fell / rose.
-- split: fit when the judged figure was public (available_from) before 2022-01-01, test after,
-- as the signal backtest (backtest_signal.sql) splits its as-of dates.
WITH point AS (
    SELECT p.indicator_code, p.area_code, p.available_from, p.position,
           lag(p.position) OVER series AS position_before,
           lead(p.position) OVER series AS position_next
    FROM {{ ref('series_position') }} AS p
    JOIN {{ ref('headline_indicator') }} AS h ON h.indicator_code = p.indicator_code AND h.polarity IN ('high', 'low')
    WHERE p.position IS NOT NULL AND NOT p.is_pandemic AND p.period_status <> 'provisional'
    WINDOW series AS (PARTITION BY p.indicator_code, p.area_code ORDER BY p.period_order)
),
move AS (
    SELECT indicator_code,
           CASE WHEN available_from < DATE '2022-01-01' THEN 'fit' ELSE 'test' END AS split,
           position - position_before AS move_in,
           position_next - position AS move_out
    FROM point
    WHERE position_before IS NOT NULL AND position_next IS NOT NULL
)
SELECT m.split, m.indicator_code, h.indicator_name,
       count(*) AS n_moves,
       round(corr(m.move_in, m.move_out), 10) AS move_correlation,
       avg((m.move_out < 0)::INTEGER) FILTER (WHERE m.move_in < 0) AS share_fell_after_fall,
       avg((m.move_out < 0)::INTEGER) FILTER (WHERE m.move_in > 0) AS share_fell_after_rise
FROM move AS m
LEFT JOIN {{ ref('headline_indicator') }} AS h ON h.indicator_code = m.indicator_code
GROUP BY GROUPING SETS ((m.split, m.indicator_code, h.indicator_name), (m.split))
ORDER BY m.split, m.indicator_code NULLS FIRST
