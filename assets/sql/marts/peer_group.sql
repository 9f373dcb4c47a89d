-- marts.peer_group: one row per council of each named peer group in pipeline/peer_groups.yaml,
-- resolved to current LA codes in Python (assets/marts/peer_groups.py) and inserted into the
-- temporary table peer_group_row.
CREATE OR REPLACE TABLE marts.peer_group AS
SELECT group_name, area_code, area_name
FROM peer_group_row
ORDER BY group_name, area_code;
