-- The landed inspections files the inspections were read from.
SELECT * FROM {{ source('src', 'inspection_source') }}
