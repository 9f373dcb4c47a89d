-- The signal rule as of 1 September of each year (as_of_yearly) on the headline indicators with a
-- polarity: the input of the signal backtest (marts.backtest_signal).
{{ signal_rule(as_of_points=ref('as_of_yearly'), indicators='headline') }}
