-- The signal rule as of the current release on the headline indicators with a polarity (the
-- early-warning score's change term, marts.early_warning). Judged over the headline set only,
-- as the backtests are, so the score now is computed as the score the backtest validated.
{{ signal_rule(as_of_points=ref('as_of_current'), indicators='headline') }}
