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
-- Value texts: the one rule for every value cell of every source (the LAIT data set, the extra
-- sources, `peerdata validate-local`, and any new source: use value_text, parse_number and
-- number_problem, never a bare CAST). value_text is the cell without the ASCII white space
-- (space, tab, CR, LF, FF) around it. A number text is an optional sign, ASCII digits with an
-- optional decimal point and an optional exponent ('1,234', '0x10', 'inf', 'NaN', '1_000', '١٢'
-- are not numbers). It is in range when it is zero or between 1e-15 and 1e15 in size: the largest
-- published value is 1.6e10 and the smallest non-zero 0.00078, so real figures are far inside,
-- while '1e999' (infinity as a double), '1e309' or '1e-999' (a non-zero number read as 0) would be
-- published as something other than what the file says, and sums or squares over every council
-- of a number in range stay finite.
CREATE OR REPLACE TEMP MACRO value_text(x) AS regexp_replace(x, '^\s+|\s+$', '', 'g');
CREATE OR REPLACE TEMP MACRO is_number_text(x) AS
    coalesce(regexp_full_match(value_text(x), '[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?'), false);
CREATE OR REPLACE TEMP MACRO number_in_range(x) AS
    regexp_full_match(value_text(x), '[-+]?(0+\.?0*|\.0+)([eE][-+]?\d+)?')
    OR abs(TRY_CAST(value_text(x) AS DOUBLE)) BETWEEN 1e-15 AND 1e15;
-- The number a text holds; NULL when it is not a number text or is out of range.
CREATE OR REPLACE TEMP MACRO parse_number(x) AS
    CASE WHEN is_number_text(x) AND number_in_range(x) THEN CAST(value_text(x) AS DOUBLE) END;
-- Why a text is not a number in range, for staging.source_problem; NULL when it is one.
CREATE OR REPLACE TEMP MACRO number_problem(x) AS
    CASE WHEN NOT is_number_text(x) THEN 'not a number'
         WHEN NOT number_in_range(x) THEN 'a number out of range: a value must be 0 or between 1e-15 and 1e15 '
              || 'in size (1e999 would be read as infinity, 1e-999 as 0)' END;
-- The status of a published symbol ('-', 'c', 'x', ...: staging.value_status) is looked up by
-- symbol_key(text).
CREATE OR REPLACE TEMP MACRO symbol_key(x) AS lower(value_text(x));
-- An LA number as published ('301', '301.0'); NULL when it is not a whole number that fits a code.
CREATE OR REPLACE TEMP MACRO area_number(x) AS
    CASE WHEN parse_number(blank_to_null(x)) = floor(parse_number(blank_to_null(x)))
              AND abs(parse_number(blank_to_null(x))) < 2147483648
         THEN CAST(parse_number(blank_to_null(x)) AS INTEGER) END;
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
