{#- The size measure of an indicator's series (docs/methods.md, "The signal", noise by council
    size): the count named for it in var('noise_denominators'), else 'child_population'. Renders
    a CASE over the SQL expression `code` (an indicator code); intermediate.council_size holds
    each measure's values. -#}
{% macro size_measure(code) -%}
CASE {{ code }}
{%- for indicator, denominator in var('noise_denominators').items() %} WHEN '{{ indicator }}' THEN '{{ denominator }}'{% endfor %}
 ELSE 'child_population' END
{%- endmacro %}
