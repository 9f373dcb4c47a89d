-- headline_indicator_covers_every_service_area: the offending rows (the test passes when there are none). Properties in models/marts/headline_indicator.yml.
SELECT s.service_area
FROM (VALUES ('help_and_protection'), ('children_in_care'), ('care_leavers'), ('send'), ('education'),
             ('health'), ('workforce'), ('finance')) AS s(service_area)
WHERE s.service_area NOT IN (SELECT service_area FROM {{ ref('headline_indicator') }})
