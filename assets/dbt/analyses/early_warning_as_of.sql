-- The first iteration's early-warning scores as of one date ($as_of_date, a query parameter), for `peerdata
-- early-warning --as-of` (assets/marts/score_as_of.py reads this file compiled): the macro
-- early_warning_as_of, built from the same signal rule and score as the backtests.
{{ early_warning_as_of('$as_of_date') }}
