-- marts.peer_group: one row per council of each named peer group in pipeline/peer_groups.yaml,
-- resolved to current LA codes in Python (assets/marts/peer_groups.py) and registered as
-- peer_group_frame.
CREATE OR REPLACE TABLE marts.peer_group AS
SELECT CAST(group_name AS VARCHAR) AS group_name,
       CAST(area_code AS INTEGER) AS area_code,
       CAST(area_name AS VARCHAR) AS area_name
FROM peer_group_frame
ORDER BY group_name, area_code;
