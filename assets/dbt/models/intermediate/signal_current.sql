-- The signal rule as of the current release on every indicator with positions (marts.series_signal).
{{ signal_rule(as_of_points=ref('as_of_current'), indicators='all') }}
