-- The landed self-evaluation files' views (src.self_evaluation_rows, read by
-- assets/self_evaluations/read.py: CSV files and filled-in frameworks, cells as written), with the
-- LA code typed and the words matched in lower case against src.self_evaluation_words: a service
-- area by its key in pipeline/headline_indicators.yaml or its heading in the profile, a view
-- (strength, secure, area for development), a direction (improving, stable, declining, or empty).
-- nth_view numbers the views of the same council and service area in file order.
SELECT r.*,
       area_number(r.la_code) AS area_code,
       {{ self_evaluation_word("'service_area'", 'r.service_area') }} AS service_area_key,
       {{ self_evaluation_word("'our_view'", 'r.our_view') }} AS our_view_word,
       {{ self_evaluation_word("'direction'", 'r.direction') }} AS direction_word,
       row_number() OVER (PARTITION BY area_number(r.la_code), {{ self_evaluation_word("'service_area'", 'r.service_area') }}
                          ORDER BY r.source_file, r.source_row) AS nth_view
FROM {{ source('src', 'self_evaluation_rows') }} AS r
