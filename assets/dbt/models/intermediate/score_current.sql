-- The early-warning score of every current council as of the current release (marts.early_warning).
{{ score_rule(as_of_points=ref('as_of_current'), signals=ref('signal_current_headline')) }}
