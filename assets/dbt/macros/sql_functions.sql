{#- The SQL functions the marts' text columns and orderings share, created in the warehouse by
    `on-run-start` (dbt_project.yml) before any model runs, so the models call them as plain SQL:
    fmt_value(v, places) / fmt_signed(v, places): a value with the indicator's published decimal
    places; better_words(polarity); service_priority(area) (docs/methods.md, "Order of concerns
    and strengths"): 1 social care and its workforce, 2 SEND and education, 3 health and finance. -#}
{% macro create_sql_functions() %}
CREATE OR REPLACE MACRO fmt_value(v, places) AS
    CASE WHEN v IS NULL THEN 'no value' ELSE format('{:,.{}f}', v, places) END;
CREATE OR REPLACE MACRO fmt_signed(v, places) AS format('{:+.{}f}', v, places);
CREATE OR REPLACE MACRO better_words(polarity) AS
    CASE polarity WHEN 'high' THEN 'higher is better' WHEN 'low' THEN 'lower is better' END;
CREATE OR REPLACE MACRO service_priority(area) AS
    CASE WHEN area IN ('help_and_protection', 'children_in_care', 'care_leavers', 'workforce') THEN 1
         WHEN area IN ('send', 'education') THEN 2
         ELSE 3 END;
{% endmacro %}
