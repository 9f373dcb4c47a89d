-- marts.signal_history: the headline concerns and strengths (marts.series_signal) of every release
-- the marts were built from, so that a new release can say which were raised and which cleared.
-- The current release is the latest row of core.release_history. Incremental, delete then insert
-- by release_id: the current release's rows are replaced, so rebuilding the marts for the same
-- release is idempotent; other releases' rows stay.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='release_id') }}
WITH current_release AS (
    SELECT arg_max(release_id, published_at) AS release_id, max(published_at) AS published_at
    FROM {{ source('core', 'release_history') }}
)
SELECT r.release_id, r.published_at AS release_published_at, s.signal, s.indicator_code, s.area_code,
       s.latest_period, s.sentence
FROM {{ ref('series_signal') }} AS s
CROSS JOIN current_release AS r
WHERE s.is_headline AND s.signal IN ('concern', 'strength')
ORDER BY s.area_code, s.signal, s.indicator_code
