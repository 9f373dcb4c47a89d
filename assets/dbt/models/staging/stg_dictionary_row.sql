-- The data dictionary, a row per dictionary row, each setting parsed (merged per code in core.dim_indicator).
SELECT source_row,
       trim("Measure_short") AS indicator_code,
       blank_to_null("Topic") AS topic,
       blank_to_null("Measure") AS indicator_name,
       blank_to_null("Chart_title") AS chart_title,
       blank_to_null("y_axis_name") AS unit,
       "Polarity" AS raw_polarity,
       CASE WHEN blank_to_null("Polarity") IS NULL OR trim("Polarity") = '-' THEN 'none'
            WHEN lower(trim("Polarity")) IN ('high', 'low') THEN lower(trim("Polarity"))
       END AS polarity,
       "dps" AS raw_dps,
       TRY_CAST(blank_to_null("dps") AS INTEGER) AS dps,
       blank_to_null("Year_Type") AS year_type,
       -- The column flags indicators that must not be put in quartiles: 'N' (or Y/yes/true) sets it.
       coalesce(upper(trim("No_Quartile")) IN ('N', 'Y', 'YES', 'TRUE'), false) AS no_quartile,
       coalesce(lower(trim("Table_status")) = 'discontinued', false) AS discontinued,
       blank_to_null("Description") AS description,
       blank_to_null("Methodology") AS methodology,
       blank_to_null("Hyperlink(s)") AS source_link,
       excel_date("Last Update") AS last_update,
       excel_date("Next Update") AS next_update,
       -- Words published in place of a date ('TBC', 'Discontinued') are kept as notes.
       CASE WHEN excel_date("Last Update") IS NULL THEN blank_to_null("Last Update") END AS last_update_note,
       CASE WHEN excel_date("Next Update") IS NULL THEN blank_to_null("Next Update") END AS next_update_note
FROM {{ source('src', 'dictionary') }}
