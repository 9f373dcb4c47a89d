-- marts.improvement_flags: the mirror of the decline flags, one row per improvement flag.
CREATE OR REPLACE TABLE marts.improvement_flags AS
SELECT * EXCLUDE (kind) FROM flag_candidate('improvement');
