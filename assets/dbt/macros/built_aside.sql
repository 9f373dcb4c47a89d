{#- The project's materialization (dbt_project.yml): each model's table replaced by one statement.

    dbt-duckdb's `table` materialization keeps a table readable while it is rebuilt: it builds an
    intermediate table, renames the old one to a backup, renames the new one in, drops the backup,
    and asks the database about indexes, foreign keys, grants and comments on the way, each step a
    macro rendered for each model. Here every model is built in a copy of the warehouse that nobody
    reads until the whole build has passed its tests (write-audit-publish, assets/marts/publish.py),
    so the swap protects nothing: one `create or replace table ... as` does the work
    (bench/RESULTS.md, "The marts step in one process"). Pre- and post-hooks run as in `table`; the
    models declare no contracts, grants, indexes or persisted docs, which this does not apply.

    A Python model returns a DuckDB relation (assets/marts/model_rows.py; Arrow or a data frame
    would do too), which the same statement copies into the table. -#}
{% materialization built_aside, adapter="duckdb", supported_languages=["sql", "python"] %}
  {%- set language = model["language"] -%}
  {%- set target_relation = this.incorporate(type="table") -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% call statement("main", language=language) -%}
    {%- if language == "sql" %}
    create or replace table {{ target_relation }} as (
      {{ compiled_code }}
    );
    {%- else %}
{{ compiled_code }}


def materialize(rows, con):
    # rows: what model() returned, read by DuckDB on the model's own connection (a relation may
    # read the connection's temporary tables)
    con.register("built_aside_rows", rows)
    try:
        con.execute("CREATE OR REPLACE TABLE {{ target_relation }} AS SELECT * FROM built_aside_rows")
    finally:
        con.unregister("built_aside_rows")
    {%- endif %}
  {%- endcall %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}
