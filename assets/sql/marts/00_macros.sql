-- Formatting shared by the marts' text columns (evidence, reasons). Run on each connection
-- before a mart's SQL. Values are shown with the indicator's published decimal places.
CREATE OR REPLACE TEMP MACRO fmt_value(v, places) AS
    CASE WHEN v IS NULL THEN 'no value' ELSE format('{:,.{}f}', v, places) END;
CREATE OR REPLACE TEMP MACRO fmt_signed(v, places) AS format('{:+.{}f}', v, places);
CREATE OR REPLACE TEMP MACRO better_words(polarity) AS
    CASE polarity WHEN 'high' THEN 'higher is better' WHEN 'low' THEN 'lower is better' END;
