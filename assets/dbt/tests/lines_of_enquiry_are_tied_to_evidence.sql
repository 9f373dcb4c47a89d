-- lines_of_enquiry_are_tied_to_evidence: the offending rows (the test passes when there are none). Properties in models/marts/lines_of_enquiry.yml.
SELECT l.area_code, l.position, l.evidence_kind, l.indicator_code
FROM {{ ref('lines_of_enquiry') }} AS l
LEFT JOIN {{ ref('trend') }} AS t ON t.area_code = l.area_code AND t.indicator_code = l.indicator_code
WHERE l.question IS NULL OR l.evidence IS NULL
   OR l.evidence_kind NOT IN ('concern', 'strength', 'change', 'inspection')
   OR (l.indicator_code IS NOT NULL AND t.indicator_code IS NULL)
   OR (SELECT count(*) FROM {{ ref('lines_of_enquiry') }} AS o
       WHERE o.area_code = l.area_code AND o.position = l.position) > 1
