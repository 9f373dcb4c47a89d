-- marts.backtest_signal: did the signal foresee a worsening? As of 1 September of each past year
-- (signal_yearly.sql), every judged headline series (concern, strength or no_signal) is followed
-- to its next compared, non-provisional period in the release; it "worsened relative to England"
-- when its position (gap to England in national spreads) is lower there than at the judged
-- period. One row per as-of date and group ('concern'; 'not_concern' = a strength or no_signal):
-- n, n_worsened, share_worsened; plus one 'all' row per split (fit: as-of dates up to 2021; test:
-- later) and the lift = share worsened of the concerns / share of the other series.
-- share_still_worse: the share still worse than England by the spread threshold (var spread_threshold, half a spread) at the next period.
WITH judged AS (
    SELECT s.as_of_date, s.area_code, s.indicator_code, s.signal, s.latest_end_year, s.position_latest
    FROM {{ ref('signal_yearly') }} AS s
    WHERE s.signal IN ('concern', 'strength', 'no_signal')
),
followed AS (
    SELECT j.*, arg_min(n.position, n.period_end_year) AS position_next, min(n.period_end_year) AS next_end_year
    FROM judged AS j
    JOIN {{ ref('series_position') }} AS n
      ON n.area_code = j.area_code AND n.indicator_code = j.indicator_code
     AND n.period_end_year > j.latest_end_year AND n.period_status <> 'provisional'
     AND NOT n.is_pandemic AND n.position IS NOT NULL
    GROUP BY ALL
),
grouped AS (
    SELECT strftime(as_of_date, '%Y-%m-%d') AS as_of, CASE WHEN year(as_of_date) <= 2021 THEN 'fit' ELSE 'test' END AS split,
           CASE WHEN signal = 'concern' THEN 'concern' ELSE 'not_concern' END AS signal_group,
           position_next < position_latest AS worsened,
           position_next <= -{{ var('spread_threshold') }} AS still_worse
    FROM followed
),
per_date AS (
    SELECT split, as_of, signal_group, count(*) AS n, count(*) FILTER (WHERE worsened) AS n_worsened,
           count(*) FILTER (WHERE still_worse) AS n_still_worse
    FROM grouped GROUP BY ALL
    UNION ALL
    SELECT split, 'all', signal_group, count(*), count(*) FILTER (WHERE worsened), count(*) FILTER (WHERE still_worse)
    FROM grouped GROUP BY ALL
    UNION ALL
    SELECT 'all', 'all', signal_group, count(*), count(*) FILTER (WHERE worsened), count(*) FILTER (WHERE still_worse)
    FROM grouped GROUP BY ALL
)
SELECT p.split, p.as_of, p.signal_group, p.n, p.n_worsened, p.n_worsened / p.n AS share_worsened,
       CASE WHEN p.signal_group = 'concern'
            THEN (p.n_worsened / p.n) / nullif(u.n_worsened / u.n, 0) END AS lift,
       p.n_still_worse / p.n AS share_still_worse
FROM per_date AS p
LEFT JOIN per_date AS u ON u.split = p.split AND u.as_of = p.as_of AND u.signal_group = 'not_concern'
ORDER BY p.split, p.as_of, p.signal_group
