-- marts.signal_history: the headline concerns and strengths (marts.series_signal) of every release
-- the marts were built from, so that a new release can say which were raised and which cleared.
-- The current release is the latest row of core.release_history; its rows are replaced (delete then
-- insert), so rebuilding the marts for the same release is idempotent; other releases' rows stay.
-- The decline and improvement flags this replaced (and their history) are dropped from a warehouse
-- built before them.
DROP TABLE IF EXISTS marts.flag_history;
DROP TABLE IF EXISTS marts.decline_flags;
DROP TABLE IF EXISTS marts.improvement_flags;
CREATE TABLE IF NOT EXISTS marts.signal_history (
    release_id VARCHAR,
    release_published_at TIMESTAMP WITH TIME ZONE,
    signal VARCHAR,
    indicator_code VARCHAR,
    area_code INTEGER,
    latest_period VARCHAR,
    sentence VARCHAR
);
DELETE FROM marts.signal_history
WHERE release_id = (SELECT arg_max(release_id, published_at) FROM core.release_history);
INSERT INTO marts.signal_history
WITH current_release AS (
    SELECT arg_max(release_id, published_at) AS release_id, max(published_at) AS published_at
    FROM core.release_history
)
SELECT r.release_id, r.published_at, s.signal, s.indicator_code, s.area_code, s.latest_period, s.sentence
FROM marts.series_signal AS s
CROSS JOIN current_release AS r
WHERE s.is_headline AND s.signal IN ('concern', 'strength')
ORDER BY s.area_code, s.signal, s.indicator_code;
