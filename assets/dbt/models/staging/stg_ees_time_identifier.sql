-- The time identifiers of explore-education-statistics (EES) files that the period parser reads:
-- the digits of their time_period and the kind of year. A 4-digit period becomes the label
-- 'YYYY'; a 6-digit one (202324) 'YYYY/YY' for an academic year and 'YYYY-YY' for a financial one.
SELECT * FROM (VALUES
    ('calendar year',  4, 'calendar'),
    ('reporting year', 4, 'calendar'),
    ('academic year',  6, 'academic'),
    ('financial year', 6, 'financial')
) AS t(identifier_key, digits, year_kind)
