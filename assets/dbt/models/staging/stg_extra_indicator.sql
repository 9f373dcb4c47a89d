-- The extra sources' indicators that are added to core.dim_indicator and core.indicator_topic:
-- those with a code, defined once (stg_extra_indicator_clash).
SELECT * FROM {{ ref('stg_extra_indicator_row') }}
WHERE indicator_code <> '' AND indicator_code NOT IN (SELECT indicator_code FROM {{ ref('stg_extra_indicator_clash') }})
