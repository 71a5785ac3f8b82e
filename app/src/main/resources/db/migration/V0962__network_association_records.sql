-- Networks at national size (issue 10). Which child an association end stands for was worked out per row at every
-- read (`network_node`, a function with a subquery per end), so a neighbourhood or a hotspot list cost grew with every
-- link it looked at, and a force's hotspots read the whole period's links of every force. An end that is a child's
-- record, episode or concern now carries that record's id, written as the association is (every writer: pages, API,
-- bulk import, generated population): a record is fixed for an episode or concern, while the child (the identity)
-- a record belongs to changes with resolution and is still read at query time, by primary key.

CREATE FUNCTION network_end_record(end_kind text, end_id bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT CASE end_kind
               WHEN 'person_record' THEN end_id
               WHEN 'episode' THEN (SELECT person_record_id FROM missing_episode WHERE id = end_id)
               WHEN 'concern' THEN (SELECT person_record_id FROM exploitation_concern WHERE id = end_id) END
$$;

ALTER TABLE association
    ADD COLUMN from_record_id bigint,
    ADD COLUMN to_record_id   bigint;

CREATE FUNCTION network_association_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.from_record_id := network_end_record(NEW.from_kind, NEW.from_id);
    NEW.to_record_id := network_end_record(NEW.to_kind, NEW.to_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER association_end_records BEFORE INSERT OR UPDATE OF from_kind, from_id, to_kind, to_id ON association
    FOR EACH ROW EXECUTE FUNCTION network_association_records();

UPDATE association SET from_record_id = network_end_record(from_kind, from_id),
                       to_record_id = network_end_record(to_kind, to_id);

CREATE INDEX association_from_record_idx ON association (from_record_id);
CREATE INDEX association_to_record_idx ON association (to_record_id);
-- A force's or an authority's links in a period: where its hotspots start.
CREATE INDEX association_agency_at_idx ON association (agency_id, (coalesce(observed_at, created_at)));
-- Places a recording names the area of.
CREATE INDEX location_area_code_idx ON location (area_code);

DROP FUNCTION network_node(text, bigint);

-- A child's home area, as V0780 defines it, with the child's records read once and each agency looked up by its key:
-- the planner hashed the whole agency table for each call, which made a hotspot list's hundreds of children cost
-- about 0.1 ms each.
CREATE OR REPLACE FUNCTION network_home_area(child_node bigint) RETURNS text LANGUAGE sql STABLE AS $$
    WITH recs AS (SELECT pr.id, pr.responsible_authority, pr.agency_id FROM person_record pr
                  WHERE pr.identity_id = child_node OR pr.id = -child_node)
    SELECT coalesce(
        (SELECT min(responsible_authority) FROM recs),
        (SELECT min((SELECT a.code FROM agency a WHERE a.id = r.agency_id AND a.agency_type = 'local_authority'))
         FROM recs r),
        (SELECT min((SELECT a.code FROM agency a WHERE a.id = e.agency_id AND a.agency_type = 'police_force'))
         FROM recs r JOIN missing_episode e ON e.person_record_id = r.id))
$$;

-- The rules' view of a child's links reads the stored record instead of working it out again, so a filter on its
-- record column can use the indexes above.
CREATE OR REPLACE VIEW alert_child_link AS
SELECT x.id AS association_id, x.agency_id, x.association_type, coalesce(x.observed_at, x.created_at) AS observed_at,
       x.from_record_id AS person_record_id, x.to_kind AS other_kind, x.to_id AS other_id
FROM association x WHERE x.from_record_id IS NOT NULL
UNION ALL
SELECT x.id, x.agency_id, x.association_type, coalesce(x.observed_at, x.created_at), x.to_record_id,
       x.from_kind, x.from_id
FROM association x WHERE x.to_record_id IS NOT NULL;
