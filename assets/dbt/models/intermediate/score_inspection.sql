-- The early-warning score of each inspected council as of its inspection's start date
-- (marts.backtest_inspection).
{{ score_rule(as_of_points=ref('as_of_inspection'), signals=ref('signal_inspection')) }}
