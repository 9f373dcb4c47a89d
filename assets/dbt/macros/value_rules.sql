{#- The text rules every core model reads a cell by, created as DuckDB macros in the build area
    before the core models run (the core step runs the compiled analyses/value_rules.sql first:
    assets/core/build.py). One rule for every value cell of every source: the LAIT data set, the
    extra sources, `peerdata validate-local`, and any new source use value_text, parse_number and
    number_problem, never a bare CAST.
    blank_to_null(x): the trimmed text, NULL for '', 'NA', 'N/A', 'NULL'.
    spelling_key(x): lower case with single spaces (region spellings, council names).
    value_text(x): the cell without the ASCII white space (space, tab, CR, LF, FF) around it.
    A number text is an optional sign, ASCII digits with an optional decimal point and an optional
    exponent ('1,234', '0x10', 'inf', 'NaN', '1_000', '١٢' are not numbers). It is in range when it is
    zero or between 1e-15 and 1e15 in size: the largest published value is 1.6e10 and the smallest
    non-zero 0.00078, so real figures are far inside, while '1e999' (infinity as a double), '1e309'
    or '1e-999' (a non-zero number read as 0) would be published as something other than what the
    file says, and sums or squares over every council of a number in range stay finite.
    parse_number(x): the number a text holds; NULL when it is not a number text or is out of range.
    number_problem(x): why a text is not a number in range (for source_problem); NULL when it is one.
    symbol_key(x): the key a published symbol ('-', 'c', 'x', ...: core.value_status) is looked up by.
    area_number(x): an LA number as published ('301', '301.0'); NULL when it is not a whole number
      that fits a code.
    is_percentage_unit(unit): a unit that says the indicator is a percentage ('%', 'Percentage').
    excel_date(x): the dictionary's dates, Excel serial numbers (days since 1899-12-30); ISO dates too. -#}
{% macro create_value_rules() %}
CREATE OR REPLACE TEMP MACRO blank_to_null(x) AS
    CASE WHEN trim(x) IN ('', 'NA', 'N/A', 'NULL') THEN NULL ELSE trim(x) END;
CREATE OR REPLACE TEMP MACRO spelling_key(x) AS lower(regexp_replace(trim(x), '\s+', ' ', 'g'));
CREATE OR REPLACE TEMP MACRO value_text(x) AS regexp_replace(x, '^\s+|\s+$', '', 'g');
CREATE OR REPLACE TEMP MACRO is_number_text(x) AS
    coalesce(regexp_full_match(value_text(x), '[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?'), false);
CREATE OR REPLACE TEMP MACRO number_in_range(x) AS
    regexp_full_match(value_text(x), '[-+]?(0+\.?0*|\.0+)([eE][-+]?\d+)?')
    OR abs(TRY_CAST(value_text(x) AS DOUBLE)) BETWEEN 1e-15 AND 1e15;
CREATE OR REPLACE TEMP MACRO parse_number(x) AS
    CASE WHEN is_number_text(x) AND number_in_range(x) THEN CAST(value_text(x) AS DOUBLE) END;
CREATE OR REPLACE TEMP MACRO number_problem(x) AS
    CASE WHEN NOT is_number_text(x) THEN 'not a number'
         WHEN NOT number_in_range(x) THEN 'a number out of range: a value must be 0 or between 1e-15 and 1e15 '
              || 'in size (1e999 would be read as infinity, 1e-999 as 0)' END;
CREATE OR REPLACE TEMP MACRO symbol_key(x) AS lower(value_text(x));
CREATE OR REPLACE TEMP MACRO area_number(x) AS
    CASE WHEN parse_number(blank_to_null(x)) = floor(parse_number(blank_to_null(x)))
              AND abs(parse_number(blank_to_null(x))) < 2147483648
         THEN CAST(parse_number(blank_to_null(x)) AS INTEGER) END;
CREATE OR REPLACE TEMP MACRO is_percentage_unit(unit) AS
    coalesce(starts_with(unit, '%') OR unit ILIKE '%percent%', false);
CREATE OR REPLACE TEMP MACRO excel_date(x) AS
    coalesce(DATE '1899-12-30' + TRY_CAST(TRY_CAST(blank_to_null(x) AS DOUBLE) AS INTEGER),
             TRY_CAST(blank_to_null(x) AS DATE));
{% endmacro %}

{#- The Ofsted grade a (lower-case) word of the inspections files means; NULL when it is none. -#}
{% macro inspection_grade(text) -%}
    (SELECT grade FROM {{ source('src', 'inspection_words') }} WHERE kind = 'grade' AND word = {{ text }})
{%- endmacro %}

{#- What a word of a self-evaluation column means (matched in lower case); NULL when it is none. -#}
{% macro self_evaluation_word(column_text, text) -%}
    (SELECT meaning FROM {{ source('src', 'self_evaluation_words') }}
     WHERE column_name = {{ column_text }} AND word = lower(trim({{ text }})))
{%- endmacro %}
