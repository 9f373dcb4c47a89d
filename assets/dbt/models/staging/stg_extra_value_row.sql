-- Each value of the extra sources with its area code (NULL when it could not be placed).
SELECT v.source_name, v.kind, v.file, v.source_row, v.indicator_code, v.value_column, v.period_column,
       v.key_columns, v.period_label, v.parse_label, v.year_kind, v.raw_value,
       a.area_code
FROM {{ ref('stg_extra_value_placed') }} AS v
LEFT JOIN {{ ref('dim_area') }} AS a
       ON a.area_code = v.mapped_code
      AND (a.area_kind = 'la') = (v.geographic_level = 'Local authority')
