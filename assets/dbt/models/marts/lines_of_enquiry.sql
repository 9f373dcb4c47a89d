-- marts.lines_of_enquiry: per current council, a short list of questions a peer team could ask
-- on a visit, each tied to its evidence (docs/methods.md, "Lines of enquiry"), in this order:
--   concern     the council's concerns (marts.concerns, concern_rank 1-3), then its other areas
--               for development (marts.strengths_weaknesses) until there are 3: what explains it
--               and what is the plan; the evidence is the concern's (or area's) plain sentence; a
--               concern raised since the previous release (marts.release_changes) is asked as new;
--   inspection  Ofsted's last judgement (inspection_row, from core.inspection): requires
--               improvement or inadequate: what has changed since; good or outstanding with
--               concerns: do they put it at risk;
--   strength    the first strength: what made it work, and can others learn from it;
--   change      the first concern (in rank order) raised since the previous release that is not
--               already asked about above.
-- indicator_code names the row the evidence is about (NULL for the inspection).
WITH new_concern AS (
    SELECT c.*, r.compared_with_release, count(*) OVER (PARTITION BY c.area_code) AS new_concerns
    FROM {{ ref('concerns') }} AS c
    JOIN {{ ref('release_changes') }} AS r USING (area_code, indicator_code)
    WHERE r.change = 'concern_raised'
),
concern AS (
    SELECT c.area_code, 1 AS part, c.concern_rank AS rank, c.indicator_code,
           CASE WHEN n.indicator_code IS NULL
                THEN 'What explains the position on "' || c.indicator_name || '", and what is the plan to improve it?'
                ELSE 'What lies behind the new concern on "' || c.indicator_name
                     || '" since the previous release, and what is the plan to improve it?'
           END AS question,
           CASE WHEN n.indicator_code IS NULL THEN c.sentence
                ELSE 'New since LAIT release ' || n.compared_with_release || ': ' || c.sentence END AS evidence,
           'concern' AS evidence_kind
    FROM {{ ref('concerns') }} AS c
    LEFT JOIN new_concern AS n USING (area_code, indicator_code)
    WHERE c.concern_rank <= 3
),
development AS (
    SELECT w.area_code, 2 AS part, w.position AS rank, w.indicator_code,
           'What explains the position on "' || w.indicator_name || '", and what is the plan to improve it?',
           w.reason, 'concern'
    FROM {{ ref('strengths_weaknesses') }} AS w
    WHERE w.kind = 'area_for_development'
      AND NOT EXISTS (SELECT 1 FROM concern AS c WHERE c.area_code = w.area_code AND c.indicator_code = w.indicator_code)
),
worries AS (
    SELECT * FROM (SELECT * FROM concern UNION ALL SELECT * FROM development)
    QUALIFY row_number() OVER (PARTITION BY area_code ORDER BY part, rank) <= 3
),
last_inspection AS (  -- the latest judged inspection; its end date, or its start when the end is not given
    SELECT current_area_code AS area_code, overall_effectiveness, overall_grade,
           coalesce('in ' || strftime(coalesce(inspection_end_date, inspection_start_date), '%B %Y'),
                    'at its last inspection (date not given)') AS month,
           coalesce('ended ' || strftime(inspection_end_date, '%d %B %Y'),
                    'started ' || strftime(inspection_start_date, '%d %B %Y'), 'date not given') AS dated
    FROM {{ ref('inspection_row') }}
    WHERE current_area_code IS NOT NULL AND overall_grade IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY current_area_code
                               ORDER BY coalesce(inspection_end_date, inspection_start_date) DESC NULLS LAST) = 1
),
inspection AS (
    SELECT i.area_code, 3 AS part, 1 AS rank, NULL::VARCHAR AS indicator_code,
           'Ofsted judged children''s services ' || i.overall_effectiveness || ' ' || i.month
           || CASE WHEN i.overall_grade >= 3 THEN ': what has changed since, and what would an inspection find now?'
                   ELSE ': do the concerns above put that at risk?' END,
           'Ofsted''s last inspection of children''s services (ILACS), ' || i.dated || ': overall '
           || i.overall_effectiveness || '.',
           'inspection'
    FROM last_inspection AS i
    WHERE i.overall_grade >= 3 OR EXISTS (SELECT 1 FROM concern AS c WHERE c.area_code = i.area_code)
),
strength AS (
    SELECT area_code, 4 AS part, position AS rank, indicator_code,
           'What has made "' || indicator_name || '" work well, and could other councils learn from it?',
           reason, 'strength'
    FROM {{ ref('strengths_weaknesses') }}
    WHERE kind = 'strength' AND position = 1
),
change AS (
    SELECT area_code, 5 AS part, 1 AS rank, indicator_code,
           'What lies behind the new concern on "' || indicator_name || '" since the previous release'
           || CASE WHEN new_concerns > 1 THEN ' (one of ' || new_concerns || ' new concerns)' ELSE '' END || '?',
           'New since LAIT release ' || compared_with_release || ': ' || sentence,
           'change'
    FROM new_concern AS n
    WHERE NOT EXISTS (SELECT 1 FROM worries AS w WHERE w.area_code = n.area_code AND w.indicator_code = n.indicator_code)
    QUALIFY row_number() OVER (PARTITION BY area_code ORDER BY concern_rank) = 1
),
lines AS (
    SELECT * FROM worries UNION ALL SELECT * FROM inspection UNION ALL SELECT * FROM strength
    UNION ALL SELECT * FROM change
)
SELECT area_code, row_number() OVER (PARTITION BY area_code ORDER BY part, rank)::INTEGER AS position,
       question, evidence, evidence_kind, indicator_code
FROM lines
ORDER BY area_code, position
