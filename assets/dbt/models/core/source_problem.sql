-- Every rejected cell of the build: file (its role, e.g. 'bds', or an extra source's file), row,
-- column, value, problem, severity ('error' refuses the release, 'warning' is reported). One model
-- per source of problems (stg_*_problem); source_rows_valid (assets/core/checks.py) reports them.
{%- set problem_models = [
    'stg_area_problem', 'stg_dictionary_problem', 'stg_extra_indicator_problem', 'stg_extra_value_problem',
    'stg_neighbour_problem', 'stg_inspection_problem', 'stg_self_evaluation_problem', 'stg_value_problem',
] %}
{% for model in problem_models %}
SELECT CAST(file AS VARCHAR) AS file, CAST(source_row AS BIGINT) AS source_row,
       CAST(column_name AS VARCHAR) AS column_name, CAST(value AS VARCHAR) AS value,
       CAST(problem AS VARCHAR) AS problem, CAST(severity AS VARCHAR) AS severity
FROM {{ ref(model) }}
{% if not loop.last %}UNION ALL{% endif %}
{%- endfor %}
