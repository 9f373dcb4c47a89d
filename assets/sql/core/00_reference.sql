-- Reference tables and text helpers used by every core build step.
-- value_status: one status for each published symbol, so no symbol is silently turned into a null.
CREATE OR REPLACE TABLE staging.value_status AS
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
) AS t(value_status, symbol, meaning);

-- The time identifiers of explore-education-statistics (EES) files that the period parser reads:
-- the digits of their time_period and the kind of year. A 4-digit period becomes the label
-- 'YYYY'; a 6-digit one (202324) 'YYYY/YY' for an academic year and 'YYYY-YY' for a financial one.
CREATE OR REPLACE TABLE staging.ees_time_identifier AS
SELECT * FROM (VALUES
    ('calendar year',  4, 'calendar'),
    ('reporting year', 4, 'calendar'),
    ('academic year',  6, 'academic'),
    ('financial year', 6, 'financial')
) AS t(identifier_key, digits, year_kind);

-- Every spelling of a region seen in the files, keyed by lower case with single spaces.
CREATE OR REPLACE TABLE staging.region_spelling AS
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
) AS t(spelling_key, region_name, london_subregion);

-- Councils abolished by local government reorganisation and the councils that replaced them
-- (the list is in assets/sql/reference/area_succession.sql, loaded into src with the release).
CREATE OR REPLACE TABLE staging.area_succession AS FROM src.area_succession;

CREATE OR REPLACE TEMP MACRO blank_to_null(x) AS
    CASE WHEN trim(x) IN ('', 'NA', 'N/A', 'NULL') THEN NULL ELSE trim(x) END;
CREATE OR REPLACE TEMP MACRO spelling_key(x) AS lower(regexp_replace(trim(x), '\s+', ' ', 'g'));
-- An LA number as published ('301', '301.0'); NULL when it is not a whole number.
CREATE OR REPLACE TEMP MACRO area_number(x) AS
    CASE WHEN TRY_CAST(blank_to_null(x) AS DOUBLE) = floor(TRY_CAST(blank_to_null(x) AS DOUBLE))
         THEN CAST(TRY_CAST(blank_to_null(x) AS DOUBLE) AS INTEGER) END;
-- A published number: optional sign, digits with an optional decimal point, optional exponent.
CREATE OR REPLACE TEMP MACRO is_number(x) AS
    regexp_full_match(trim(x), '[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?');
-- A unit that says the indicator is a percentage ('%', '% of pupils', 'Percentage').
CREATE OR REPLACE TEMP MACRO is_percentage_unit(unit) AS
    coalesce(starts_with(unit, '%') OR unit ILIKE '%percent%', false);
-- The dictionary holds dates as Excel serial numbers (days since 1899-12-30); ISO dates also pass.
CREATE OR REPLACE TEMP MACRO excel_date(x) AS
    coalesce(DATE '1899-12-30' + TRY_CAST(TRY_CAST(blank_to_null(x) AS DOUBLE) AS INTEGER),
             TRY_CAST(blank_to_null(x) AS DATE));

CREATE OR REPLACE TABLE staging.source_problem (
    file VARCHAR, source_row BIGINT, column_name VARCHAR, value VARCHAR,
    problem VARCHAR, severity VARCHAR
);
