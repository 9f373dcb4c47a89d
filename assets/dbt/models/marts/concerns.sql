-- marts.concerns: per current council, its concerns on headline indicators, most important first.
-- A concern is a headline series whose signal is 'concern' (signal_rule.sql). concern_rank 1 =
-- the first by service priority (00_macros.sql: social care and workforce, then SEND and
-- education, then health), then the largest fall relative to England in units of the
-- indicator's noise, then the furthest behind England, then the headline order.
SELECT s.area_code, s.area_name,
       row_number() OVER (PARTITION BY s.area_code
                          ORDER BY service_priority(h.service_area), s.change_in_noise_units, s.position_latest,
                                   h.service_order, h.position)
           AS concern_rank,
       s.indicator_code, s.indicator_name, h.service_area, s.sentence,
       s.latest_period, s.latest_value, s.england_value, s.sn_mean, s.since_period,
       s.position_latest, s.change_in_noise_units
FROM {{ ref('series_signal') }} AS s
JOIN {{ ref('headline_indicator') }} AS h USING (indicator_code)
WHERE s.signal = 'concern'
ORDER BY s.area_code, concern_rank
