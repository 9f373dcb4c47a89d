-- One status for each published symbol, so no symbol is silently turned into a null.
SELECT * FROM (VALUES
    ('ok',              NULL, 'a published number'),
    ('not_available',   '-',  'not available (the dash LAIT publishes)'),
    ('confidential',    'c',  'suppressed to protect confidential information'),
    ('unavailable',     'x',  'not available for unknown or other reasons'),
    ('not_applicable',  'z',  'not applicable: no value is possible'),
    ('rounds_to_zero',  'low','a positive value that rounds to zero'),
    ('low_reliability', 'u',  'suppressed because of low reliability'),
    ('low_figure',      'k',  'a low figure that shows as zero when rounded'),
    ('not_recorded',    '..', 'not recorded or not collected')
) AS t(value_status, symbol, meaning)
