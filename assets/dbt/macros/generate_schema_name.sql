{#- A model's schema is the one its folder names in dbt_project.yml (marts, intermediate), as is,
    not prefixed with the target's schema: the marts are read as marts.<table>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
