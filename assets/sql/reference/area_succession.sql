-- Councils abolished by local government reorganisation and the councils that replaced them.
-- Loaded into src with the release (assets/core/build.py stage_sources), so that the council
-- names of local indicator files are matched knowing them (assets/sql/sources/council_list.sql),
-- and read by the dbt model stg_area_succession (assets/dbt/models/staging).
CREATE OR REPLACE TABLE src.area_succession AS
SELECT * FROM (VALUES
    (835, 838, 2019),  -- Dorset (Pre LG) -> Dorset
    (836, 839, 2019),  -- Poole (Pre LG) -> Bournemouth, Christchurch and Poole
    (837, 839, 2019),  -- Bournemouth (Pre LG) -> Bournemouth, Christchurch and Poole
    (928, 940, 2021),  -- Northamptonshire -> North Northamptonshire
    (928, 941, 2021),  -- Northamptonshire -> West Northamptonshire
    (909, 942, 2023),  -- Cumbria -> Cumberland
    (909, 943, 2023)   -- Cumbria -> Westmorland and Furness
) AS t(predecessor_code, successor_code, year_of_change);
