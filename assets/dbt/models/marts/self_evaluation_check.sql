-- marts.self_evaluation_check: each council's own view of a service area (core.self_evaluation)
-- beside what the data say (marts.service_area_evidence), whether they agree, and one sentence,
-- most serious first (docs/methods.md "Data against narrative").
-- Views rank strength 1, secure 2, area for development 3; rosier_by = the data's rank minus the
-- council's (positive: the council rates the area better than the data do). A direction clash is
-- the council saying improving or stable where the data say declining (claims_improvement: the
-- self-view that masks a decline), or declining where they say improving.
WITH view_rank AS (
    SELECT * FROM (VALUES ('strength', 1), ('secure', 2), ('area for development', 3)) AS v(view_word, view_rank)
),
paired AS (
    SELECT e.area_code, e.area_name, e.region_name, e.service_area, e.service_order,
           CASE WHEN e.service_area = 'send' THEN 'SEND' ELSE replace(e.service_area, '_', ' ') END AS area_words,
           s.our_view, s.direction AS our_direction, s.evidence AS our_evidence, s.source_file, s.source_row,
           e.data_view, e.data_direction, e.concern_n, e.worst_quarter_n, e.strength_n, e.best_quarter_n, e.judged_n,
           e.weakest_figure, e.strongest_figure, e.ofsted_judgement_name, e.ofsted_judgement, e.ofsted_grade,
           e.ofsted_published,
           d.view_rank - o.view_rank AS rosier_by,
           (s.direction IN ('improving', 'stable') AND e.data_direction = 'declining') AS claims_improvement,
           (s.direction = 'declining' AND e.data_direction = 'improving') AS claims_decline
    FROM {{ ref('self_evaluation') }} AS s
    JOIN {{ ref('service_area_evidence') }} AS e USING (area_code, service_area)
    JOIN view_rank AS o ON o.view_word = s.our_view
    LEFT JOIN view_rank AS d ON d.view_word = e.data_view
),
judged AS (
    SELECT *,
           CASE WHEN data_view IS NULL THEN 'data cannot judge'
                WHEN rosier_by > 0 THEN 'rates higher than the data'
                WHEN rosier_by < 0 THEN 'rates lower than the data'
                WHEN claims_improvement OR claims_decline THEN 'direction differs'
                ELSE 'agrees' END AS agreement,
           'You rate ' || area_words || ' ' || CASE our_view WHEN 'secure' THEN 'secure' ELSE 'a' || CASE WHEN our_view = 'area for development' THEN 'n ' ELSE ' ' END || our_view END
               || CASE WHEN our_direction IS NOT NULL THEN ' and ' || our_direction ELSE '' END AS opening,
           CASE WHEN ofsted_grade IS NOT NULL
                THEN 'Ofsted judged ' || ofsted_judgement_name || ' ' || ofsted_judgement || ' ('
                     || strftime(ofsted_published, '%B %Y') || ')' END AS ofsted_words
    FROM paired
)
SELECT area_code, area_name, region_name, service_area, service_order, our_view, our_direction, our_evidence,
       data_view, data_direction, agreement, rosier_by,
       row_number() OVER (PARTITION BY area_code ORDER BY
           CASE agreement WHEN 'rates higher than the data' THEN 1 WHEN 'direction differs' THEN 2
                          WHEN 'rates lower than the data' THEN 3 WHEN 'agrees' THEN 4 ELSE 5 END,
           rosier_by DESC, claims_improvement DESC, concern_n DESC, worst_quarter_n DESC, service_order) AS seriousness_rank,
       opening || '; ' || CASE agreement
           WHEN 'rates higher than the data' THEN
               'the data say ' || data_view || ': ' || coalesce(weakest_figure, ofsted_words)
               || CASE WHEN ofsted_grade >= 3 AND weakest_figure IS NOT NULL THEN '; ' || ofsted_words ELSE '' END
           WHEN 'rates lower than the data' THEN
               'the data say ' || data_view || ': ' || coalesce(strongest_figure, ofsted_words)
           WHEN 'direction differs' THEN
               'the data agree on ' || data_view || ' but are ' || data_direction || ': '
               || CASE WHEN claims_improvement THEN weakest_figure ELSE strongest_figure END
           WHEN 'agrees' THEN
               'the data agree: ' || coalesce(CASE WHEN data_view = 'area for development' THEN weakest_figure
                                                   ELSE strongest_figure END, ofsted_words)
           ELSE 'the published data cannot judge this area (its headline figures are context, not better or worse): '
                || 'the evidence is yours'
       END || '.' AS sentence,
       concern_n, worst_quarter_n, strength_n, best_quarter_n, judged_n, ofsted_judgement, source_file, source_row
FROM judged
ORDER BY area_code, seriousness_rank
