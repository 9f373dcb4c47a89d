-- The signal rule as of each inspection's start date (as_of_inspection) on the headline indicators
-- with a polarity: the change term of the backtest's score (score_inspection).
{{ signal_rule(as_of_points=ref('as_of_inspection'), indicators='headline') }}
