-- marts.headline_indicator: the curated headline set (pipeline/headline_indicators.yaml, read into
-- the temporary table headline_row by assets/marts/headline.py), with the dictionary's name and
-- polarity. position = order in the file; service_order = 1..8 in the order of SERVICE_AREAS.
-- indicator_name is the entry's curated short name (as in marts.indicator_name and every mart).
SELECT h.indicator_code, h.service_area, h.service_order, h.position, h.reason,
       h.short_name AS indicator_name, i.polarity
FROM {{ ref('headline_entry') }} AS h
JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code)
ORDER BY h.service_order, h.position
