-- marts.peer_group: one row per council of each named peer group in pipeline/peer_groups.yaml,
-- resolved to current LA codes in Python (assets/marts/peer_groups.py) and inserted into the
-- temporary table peer_group_row. region_name is the region whose list the group is in (the
-- group's 'region' key; NULL when the file gives none).
SELECT group_name, area_code, area_name, region_name
FROM {{ ref('peer_group_member') }}
ORDER BY group_name, area_code
