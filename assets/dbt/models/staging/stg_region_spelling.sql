-- Every spelling of a region seen in the files, keyed by lower case with single spaces.
SELECT * FROM (VALUES
    ('north east',               'North East',               NULL),
    ('north west',               'North West',               NULL),
    ('yorkshire and the humber', 'Yorkshire and The Humber', NULL),
    ('yorkshire & the humber',   'Yorkshire and The Humber', NULL),
    ('east midlands',            'East Midlands',            NULL),
    ('west midlands',            'West Midlands',            NULL),
    ('east of england',          'East of England',          NULL),
    ('london',                   'London',                   NULL),
    ('inner london',             'London',                   'Inner London'),
    ('london (inner)',           'London',                   'Inner London'),
    ('outer london',             'London',                   'Outer London'),
    ('london (outer)',           'London',                   'Outer London'),
    ('south east',               'South East',               NULL),
    ('south west',               'South West',               NULL)
) AS t(spelling_key, region_name, london_subregion)
