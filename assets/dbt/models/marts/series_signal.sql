-- marts.series_signal: one row per current council and indicator with data (marts.trend), judged
-- as of the current release by the signal rule (signal_rule.sql, docs/methods.md "The signal").
--   context: the indicator has no polarity (demand, spend), or measures need even where the
--     dictionary gives a polarity: the topics 'Economic Factors' (poverty, FSM in the last six
--     years, NEET and not known) and 'Contextual\Other', and the share of children in need eligible
--     for free school meals (CINFSM): described, never judged;
--   cannot_judge: not compared (small council, No_Quartile, too few councils, no value), out of
--     date (marts.trend's stale: the latest figure more than 2 years older than the release's
--     newest, the same test as the pages' "over 2 years old" tag), or the rule could not judge
--     (out of date, pandemic year, too few periods), with the reason;
--   concern / strength / no_signal: from signal_rule.sql; a persistent concern (worst quarter and
--     worse than England twice running, without a fall) only on the headline indicators (the
--     backtests judge only those), elsewhere no_signal with the reason.
-- sentence: one plain sentence a Director reads: the value, England, similar councils, since when.
--   A concern's words follow its figures as shown (rounded): "fallen behind England since P, when it
--   was ahead" / "when it was level with England" when the council was ahead of or level with England
--   at P; "fallen further behind" only when it was behind then and the gap shown is wider now;
--   otherwise (the council fell against the spread of councils, but the gap in points did not
--   widen) "slipped further behind England against the spread of councils ..., though the gap in
--   points is no wider".
WITH headline AS (
    SELECT indicator_code FROM {{ ref('headline_indicator') }}
),
need_indicator AS (
    SELECT indicator_code FROM {{ ref('indicator_topic') }} WHERE topic IN ('Economic Factors', 'Contextual\Other')
    UNION
    SELECT 'CINFSM'
),
latest AS (
    SELECT t.indicator_code, t.area_code, t.area_name, t.indicator_name, t.polarity, t.dps, t.stale,
           t.latest_period, t.latest_value, b.england_value, b.sn_mean,
           coalesce(b.not_compared_reason,
                    CASE WHEN b.england_value NOT BETWEEN b.q0 AND b.q100
                         THEN 'England''s published figure (' || fmt_value(b.england_value, t.dps)
                              || ') lies outside every council''s: not like for like, so not judged against England'
                    END) AS not_compared_reason
    FROM {{ ref('trend') }} AS t
    JOIN {{ ref('benchmark') }} AS b
      ON b.indicator_code = t.indicator_code AND b.area_code = t.area_code AND b.period_label = t.latest_period
),
joined AS (
    SELECT l.*, s.* EXCLUDE (indicator_code, area_code, latest_period, latest_value, england_value, sn_mean),
           coalesce(s.latest_period, l.latest_period) AS judged_period,
           coalesce(s.latest_value, l.latest_value) AS judged_value,
           coalesce(s.england_value, l.england_value) AS judged_england,
           CASE WHEN s.as_of_key IS NOT NULL THEN s.sn_mean ELSE l.sn_mean END AS judged_sn_mean,
           -- how a concern's or a strength's sentence opens: the value against England and similar councils
           l.indicator_name || ' was ' || fmt_value(coalesce(s.latest_value, l.latest_value), l.dps) || ' in '
               || coalesce(s.latest_period, l.latest_period) || ' against '
               || fmt_value(coalesce(s.england_value, l.england_value), l.dps) || ' for England'
               || CASE WHEN s.as_of_key IS NOT NULL AND s.sn_mean IS NOT NULL
                       THEN ' and ' || fmt_value(s.sn_mean, l.dps) || ' for similar councils' ELSE '' END AS standing
    FROM latest AS l
    LEFT JOIN {{ ref('signal_current') }} AS s USING (indicator_code, area_code)
),
classified AS (
    SELECT *,
           -- the gap to England as the sentence shows it (rounded to the published places; positive =
           -- better), so that its words agree with its figures: ahead, level, or further behind
           CASE polarity WHEN 'high' THEN 1 WHEN 'low' THEN -1 END
               * (round(since_value, dps) - round(since_england_value, dps)) AS shown_gap_since,
           CASE polarity WHEN 'high' THEN 1 WHEN 'low' THEN -1 END
               * (round(judged_value, dps) - round(judged_england, dps)) AS shown_gap_latest,
           CASE WHEN polarity NOT IN ('high', 'low') OR indicator_code IN (SELECT indicator_code FROM need_indicator)
                    THEN 'context'
                WHEN signal IS NULL OR (stale AND signal <> 'cannot_judge') THEN 'cannot_judge'
                WHEN concern_kind = 'persistent' AND indicator_code NOT IN (SELECT indicator_code FROM headline)
                    THEN 'no_signal'
                ELSE signal END AS final_signal,
           CASE WHEN polarity NOT IN ('high', 'low')
                    THEN 'a measure of demand or spend with no better or worse direction: described, not judged'
                WHEN indicator_code IN (SELECT indicator_code FROM need_indicator)
                    THEN 'a measure of need in the population the council serves: described, not judged'
                WHEN stale AND coalesce(signal, '') <> 'cannot_judge' AND not_compared_reason IS NULL
                    THEN 'out of date: the latest figure (' || latest_period
                         || ') is more than two years older than the newest figures of the release'
                WHEN signal IS NULL
                    THEN coalesce(not_compared_reason, 'not compared with other councils in its latest periods')
                WHEN concern_kind = 'persistent' AND indicator_code NOT IN (SELECT indicator_code FROM headline)
                    THEN reason || ' (a persistent shortfall is a concern on the headline indicators only)'
                ELSE reason END AS final_reason,
           CASE WHEN indicator_code IN (SELECT indicator_code FROM headline) OR concern_kind = 'falling'
                THEN concern_kind END AS final_concern_kind
    FROM joined
)
SELECT area_code, area_name, indicator_code, indicator_name, polarity,
       final_signal AS signal, final_reason AS reason,
       CASE final_signal
           WHEN 'concern' THEN
               CASE WHEN final_concern_kind = 'persistent' THEN
               standing || '; in the worst quarter of councils in ' || previous_period || ' and '
               || judged_period || ', and worse than England in both, though not falling further behind.'
               ELSE
               standing || '; it has '
               || CASE WHEN shown_gap_since > 0 THEN 'fallen behind England since ' || since_period || ', when it was ahead'
                       WHEN shown_gap_since = 0 THEN 'fallen behind England since ' || since_period
                                                     || ', when it was level with England'
                       WHEN shown_gap_latest < shown_gap_since THEN 'fallen further behind England since ' || since_period
                       ELSE 'slipped further behind England against the spread of councils since ' || since_period
                            || ', though the gap in points is no wider' END
               || ' (' || fmt_value(since_value, dps) || ' against ' || fmt_value(since_england_value, dps) || ')'
               || CASE WHEN pandemic_skipped THEN ', leaving out the pandemic years 2020 and 2021' ELSE '' END
               || ', and was already worse than England in ' || previous_period || '.'
               END
           WHEN 'strength' THEN
               standing || '; better than England in ' || previous_period || ' too, and holding up since '
               || since_period || '.'
           WHEN 'context' THEN
               indicator_name || ' was ' || fmt_value(judged_value, dps) || ' in ' || judged_period
               || CASE WHEN judged_england IS NOT NULL
                       THEN ' (England ' || fmt_value(judged_england, dps) || ')' ELSE '' END
               || ': context, not judged better or worse.'
           ELSE indicator_name || ': ' || final_reason || '.'
       END AS sentence,
       indicator_code IN (SELECT indicator_code FROM headline) AS is_headline,
       judged_period AS latest_period, judged_value AS latest_value, judged_england AS england_value,
       judged_sn_mean AS sn_mean, since_period, since_value, since_england_value,
       previous_period, previous_value, latest_band, previous_band, final_concern_kind AS concern_kind,
       latest_percentile,
       position_latest, position_previous, position_since, position_change, position_noise,
       change_in_noise_units, council_size, council_noise, coalesce(pandemic_skipped, false) AS pandemic_skipped, dps
FROM classified
ORDER BY area_code, indicator_code
