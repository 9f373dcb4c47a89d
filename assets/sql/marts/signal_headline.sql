-- Narrows the signal to the headline indicators with a polarity (all the score reads).
CREATE OR REPLACE TEMP TABLE signal_indicator AS
SELECT indicator_code FROM marts.headline_indicator WHERE polarity IN ('high', 'low');
