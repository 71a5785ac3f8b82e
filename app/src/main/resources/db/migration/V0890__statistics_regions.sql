-- Issue 9 part 1: figures for regions beside forces, authorities and countries. Regions come from the shipped
-- reference files (ONS region codes E12000001-E12000009; Wales, W92000004, is its own region).
ALTER TABLE ref_police_force ADD COLUMN region_code text, ADD COLUMN region_name text;
ALTER TABLE ref_local_authority ADD COLUMN region_code text;

-- Every area code an agency counts towards: its own code, the area it carries (force area, authority), the region of
-- that area, its country (by the code's first letter, E or W) and England and Wales (K04000001). Statistics select
-- the agencies of an area with one lookup here rather than a rule per kind of code.
CREATE VIEW statistics_agency_area AS
    SELECT a.id AS agency_id, a.code AS area FROM agency a
    UNION
    SELECT a.id, a.area_code FROM agency a WHERE a.area_code IS NOT NULL
    UNION
    SELECT a.id, p.region_code FROM agency a
    JOIN ref_police_force p ON p.ons_pfa_code = coalesce(a.area_code, a.code) WHERE p.region_code IS NOT NULL
    UNION
    SELECT a.id, l.region_code FROM agency a
    JOIN ref_local_authority l ON l.ons_code = coalesce(a.area_code, a.code) WHERE l.region_code IS NOT NULL
    UNION
    SELECT a.id, 'E92000001' FROM agency a WHERE left(coalesce(a.area_code, a.code), 1) = 'E'
    UNION
    SELECT a.id, 'W92000004' FROM agency a WHERE left(coalesce(a.area_code, a.code), 1) = 'W'
    UNION
    SELECT a.id, 'K04000001' FROM agency a;

-- The areas people can choose, with their names (countries, regions, force areas, authorities), for the area list.
CREATE VIEW statistics_area AS
    SELECT 'K04000001' AS code, 'England and Wales' AS name, 0 AS level
    UNION ALL SELECT 'E92000001', 'England', 1
    UNION ALL SELECT 'W92000004', 'Wales', 1
    UNION ALL SELECT DISTINCT region_code, region_name, 2 FROM ref_police_force
              WHERE region_code IS NOT NULL AND region_code <> 'W92000004'
    UNION ALL SELECT ons_pfa_code, force_name, 3 FROM ref_police_force
    UNION ALL SELECT ons_code, name, 4 FROM ref_local_authority WHERE valid_to IS NULL;
