-- marts.lines_of_enquiry: per current council, a short list of questions a peer team could ask
-- on a visit, each tied to its evidence (docs/methods.md, "Lines of enquiry").
--   1-3  each area for development (marts.strengths_weaknesses, already ranked and spread over
--        service areas): what explains it and what is the plan;
--   4    the first strength: what made it work, and can peers learn from it;
--   5    when decline flags of high severity were raised since the previous release
--        (marts.release_changes): what lies behind them, naming the first by indicator name.
-- evidence_kind is 'concern', 'strength' or 'change'; indicator_code names the row the
-- evidence is about (NULL for a count of changes spread over several indicators).
CREATE OR REPLACE TABLE marts.lines_of_enquiry AS
WITH development AS (
    SELECT area_code, position, indicator_code,
           'What explains the position on "' || indicator_name || '", and what is the plan to improve it?' AS question,
           reason AS evidence, 'concern' AS evidence_kind
    FROM marts.strengths_weaknesses
    WHERE kind = 'area for development'
),
strength AS (
    SELECT area_code, 4 AS position, indicator_code,
           'What has made "' || indicator_name || '" work well, and could other councils learn from it?' AS question,
           reason AS evidence, 'strength' AS evidence_kind
    FROM marts.strengths_weaknesses
    WHERE kind = 'strength' AND position = 1
),
raised AS (
    SELECT area_code, count(DISTINCT indicator_code) AS indicators,
           arg_min(indicator_name, indicator_name) AS first_name,
           any_value(compared_with_release) AS compared_with
    FROM marts.release_changes
    WHERE change = 'flag_raised' AND flag_kind = 'decline' AND severity = 3 AND area_code IS NOT NULL
    GROUP BY area_code
),
change AS (
    SELECT area_code, 5 AS position, NULL::VARCHAR AS indicator_code,
           'What lies behind the ' || indicators || ' indicator' || CASE WHEN indicators = 1 THEN '' ELSE 's' END
           || ' that began to decline since the previous release, such as "' || first_name || '"?' AS question,
           'High-severity decline flags raised on ' || indicators || ' indicator'
           || CASE WHEN indicators = 1 THEN '' ELSE 's' END || ' since LAIT release ' || compared_with || '.' AS evidence,
           'change' AS evidence_kind
    FROM raised
)
SELECT area_code, position::INTEGER AS position, question, evidence, evidence_kind, indicator_code
FROM (SELECT * FROM development UNION ALL SELECT * FROM strength UNION ALL SELECT * FROM change)
ORDER BY area_code, position;
