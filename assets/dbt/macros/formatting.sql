{#- Formatting shared by the marts' text columns (evidence, reasons, sentences): values are shown
    with the indicator's published decimal places. Each takes SQL expressions as text, e.g.
    {{ fmt_value('t.latest_value', 't.dps') }}. -#}

{% macro fmt_value(v, places) -%}
    (CASE WHEN {{ v }} IS NULL THEN 'no value' ELSE format('{:,.{}f}', {{ v }}, {{ places }}) END)
{%- endmacro %}

{% macro fmt_signed(v, places) -%}
    format('{:+.{}f}', {{ v }}, {{ places }})
{%- endmacro %}

{% macro better_words(polarity) -%}
    (CASE {{ polarity }} WHEN 'high' THEN 'higher is better' WHEN 'low' THEN 'lower is better' END)
{%- endmacro %}
