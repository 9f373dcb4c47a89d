-- marts.flag_history: the decline and improvement flags of every release the marts were built
-- from, so that a new release can be compared with the previous one. The current release is
-- the latest row of core.release_history; its rows are replaced (delete then insert), so
-- rebuilding the marts for the same release is idempotent.
CREATE TABLE IF NOT EXISTS marts.flag_history (
    release_id VARCHAR,
    release_published_at TIMESTAMP WITH TIME ZONE,
    kind VARCHAR,
    indicator_code VARCHAR,
    area_code INTEGER,
    flag VARCHAR,
    severity INTEGER,
    since_period VARCHAR,
    latest_period VARCHAR
);
DELETE FROM marts.flag_history
WHERE release_id = (SELECT arg_max(release_id, published_at) FROM core.release_history);
INSERT INTO marts.flag_history
WITH current_release AS (
    SELECT arg_max(release_id, published_at) AS release_id, max(published_at) AS published_at
    FROM core.release_history
),
flag AS (
    SELECT 'decline' AS kind, indicator_code, area_code, flag, severity, since_period, latest_period
    FROM marts.decline_flags
    UNION ALL
    SELECT 'improvement', indicator_code, area_code, flag, severity, since_period, latest_period
    FROM marts.improvement_flags
)
SELECT r.release_id, r.published_at, f.*
FROM flag AS f CROSS JOIN current_release AS r;
