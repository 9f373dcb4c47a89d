{#- A generic test: no two rows of the model share the values of `combination` (its key). The
    offending rows are the duplicated keys with how often each occurs. -#}
{% test unique_combination_of_columns(model, combination) %}
SELECT {{ combination | join(', ') }}, count(*) AS rows_with_this_key
FROM {{ model }}
GROUP BY ALL
HAVING count(*) > 1
{% endtest %}
