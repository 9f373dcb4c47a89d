{#- The value rules (macros/value_rules.sql) as the core step runs them before the core models. -#}
{{ create_value_rules() }}
