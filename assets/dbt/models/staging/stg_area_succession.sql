-- Councils abolished by local government reorganisation and the councils that replaced them
-- (the list is assets/sql/reference/area_succession.sql, loaded into src with the release so that
-- the extra sources' council names are matched knowing it).
SELECT * FROM {{ source('src', 'area_succession') }}
