-- Formatting shared by the marts' text columns (evidence, reasons). Run on each connection
-- before a mart's SQL. Values are shown with the indicator's published decimal places.
CREATE OR REPLACE TEMP MACRO fmt_value(v, places) AS
    CASE WHEN v IS NULL THEN 'no value' ELSE format('{:,.{}f}', v, places) END;
CREATE OR REPLACE TEMP MACRO fmt_signed(v, places) AS format('{:+.{}f}', v, places);
CREATE OR REPLACE TEMP MACRO better_words(polarity) AS
    CASE polarity WHEN 'high' THEN 'higher is better' WHEN 'low' THEN 'lower is better' END;
-- Service priority of a headline service area (docs/methods.md, "Order of concerns and strengths"):
-- 1 social care and its workforce, 2 SEND and education, 3 health and finance (population measures).
CREATE OR REPLACE TEMP MACRO service_priority(area) AS
    CASE WHEN area IN ('help_and_protection', 'children_in_care', 'care_leavers', 'workforce') THEN 1
         WHEN area IN ('send', 'education') THEN 2
         ELSE 3 END;
