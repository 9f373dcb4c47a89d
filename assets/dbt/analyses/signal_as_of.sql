-- The signal rule as of one date ($as_of_date, a query parameter) on the headline indicators with
-- a polarity, for every current council: what `peerdata early-warning --as-of` judges its
-- concerns by (macros/early_warning_as_of.sql), one row per council and indicator. Read by the
-- tests that follow a series through the years (tests/test_marts.py).
WITH as_of_point AS (
    {{ councils_as_of('$as_of_date') }}
)
SELECT * FROM (
    {{ signal_rule(as_of_points='as_of_point', indicators='headline') }}
)
