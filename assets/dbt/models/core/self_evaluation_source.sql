-- The landed self-evaluation files the views were read from.
SELECT * FROM {{ source('src', 'self_evaluation_source') }}
