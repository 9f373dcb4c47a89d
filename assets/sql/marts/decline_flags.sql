-- marts.decline_flags: the early warning, one row per decline flag (rules in flag_candidate.sql).
CREATE OR REPLACE TABLE marts.decline_flags AS
SELECT * EXCLUDE (kind) FROM flag_candidate('decline');
