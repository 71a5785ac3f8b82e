-- Networks and places (issue 10). Each agency's recording of a place stays a `location` row (what it wrote, held by
-- it); `place` is the real place those recordings are of. Recordings are matched to a place by a key built here, in
-- the database, so that every way a location arrives (pages, API, bulk import, generated population) is matched by
-- the same rule: the UPRN when given, else the normalised postcode with the normalised address text. A postcode alone
-- or a name alone is too little to say two recordings are one place: such a recording is a place of its own until a
-- supervisor merges it.

CREATE TABLE place (
    id           bigserial PRIMARY KEY,
    public_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    uprn         text UNIQUE,
    address_key  text UNIQUE,
    -- A place merged by a supervisor into another: later recordings that match it go to the other.
    merged_into  bigint REFERENCES place(id),
    created_at   timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE location
    ADD COLUMN uprn           text,
    ADD COLUMN postcode_norm  text,
    ADD COLUMN address_norm   text,
    ADD COLUMN place_id       bigint REFERENCES place(id),
    -- The place the key matched; unmerging returns a recording here.
    ADD COLUMN matched_place_id bigint REFERENCES place(id);

-- "ls1 4ap" -> "LS14AP"
CREATE FUNCTION network_postcode_norm(postcode text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif(upper(regexp_replace(coalesce(postcode, ''), '[^A-Za-z0-9]', '', 'g')), '')
$$;

-- "Flat 2, 10 High St., Leeds LS1 4AP" -> "flat 2 10 high street": lower case, a postcode written into the text
-- dropped, punctuation to spaces, common abbreviations written out, and, as the postcode already says where, the
-- words after the street (town, county) dropped.
CREATE FUNCTION network_address_norm(address text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    t     text;
    w     text;
    words text[] := '{}';
BEGIN
    t := lower(coalesce(address, ''));
    t := regexp_replace(t, '\m[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}\M', ' ', 'g');
    t := replace(t, '&', ' and ');
    t := regexp_replace(t, '([a-z])([0-9])', '\1 \2', 'g');
    t := regexp_replace(t, '[^a-z0-9]+', ' ', 'g');
    FOREACH w IN ARRAY regexp_split_to_array(btrim(t), ' ') LOOP
        CONTINUE WHEN w = '' OR w IN ('no', 'number', 'the');
        w := CASE w
            WHEN 'st' THEN 'street' WHEN 'rd' THEN 'road' WHEN 'ave' THEN 'avenue' WHEN 'av' THEN 'avenue'
            WHEN 'ln' THEN 'lane' WHEN 'dr' THEN 'drive' WHEN 'ct' THEN 'court' WHEN 'pl' THEN 'place'
            WHEN 'sq' THEN 'square' WHEN 'cres' THEN 'crescent' WHEN 'gdns' THEN 'gardens' WHEN 'cl' THEN 'close'
            WHEN 'tce' THEN 'terrace' WHEN 'terr' THEN 'terrace' WHEN 'apartment' THEN 'flat' WHEN 'apt' THEN 'flat'
            WHEN 'hse' THEN 'house' WHEN 'bldg' THEN 'building' WHEN 'pde' THEN 'parade' WHEN 'gr' THEN 'grove'
            ELSE w END;
        words := words || w;
        EXIT WHEN w IN ('street', 'road', 'avenue', 'lane', 'drive', 'court', 'place', 'square', 'crescent',
                        'gardens', 'close', 'terrace', 'way', 'walk', 'parade', 'grove', 'row', 'hill', 'mews')
                  AND array_length(words, 1) > 1;
    END LOOP;
    RETURN nullif(array_to_string(words, ' '), '');
END
$$;

-- The place a recording is of: follows merges to the place now standing for it.
CREATE FUNCTION network_place_current(p bigint) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    cur  bigint := p;
    nxt  bigint;
    hops int := 0;
BEGIN
    LOOP
        SELECT merged_into INTO nxt FROM place WHERE id = cur;
        EXIT WHEN nxt IS NULL OR hops > 100;
        cur := nxt;
        hops := hops + 1;
    END LOOP;
    RETURN cur;
END
$$;

CREATE FUNCTION network_match_place() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key_uprn text;
    key_addr text;
    found    bigint;
BEGIN
    NEW.postcode_norm := network_postcode_norm(NEW.postcode);
    NEW.address_norm := network_address_norm(NEW.name);
    key_uprn := nullif(regexp_replace(coalesce(NEW.uprn, ''), '[^0-9]', '', 'g'), '');
    NEW.uprn := key_uprn;
    IF TG_OP = 'UPDATE' AND NEW.place_id IS NOT NULL
       AND OLD.postcode_norm IS NOT DISTINCT FROM NEW.postcode_norm
       AND OLD.address_norm IS NOT DISTINCT FROM NEW.address_norm
       AND OLD.uprn IS NOT DISTINCT FROM NEW.uprn THEN
        RETURN NEW;
    END IF;
    key_addr := CASE WHEN NEW.postcode_norm IS NOT NULL AND NEW.address_norm IS NOT NULL
                     THEN NEW.postcode_norm || '|' || NEW.address_norm END;
    IF key_uprn IS NOT NULL THEN
        SELECT id INTO found FROM place WHERE uprn = key_uprn;
    END IF;
    IF found IS NULL AND key_addr IS NOT NULL THEN
        SELECT id INTO found FROM place WHERE address_key = key_addr AND (key_uprn IS NULL OR uprn IS NULL);
        IF found IS NOT NULL AND key_uprn IS NOT NULL THEN
            UPDATE place SET uprn = key_uprn WHERE id = found;
        END IF;
    END IF;
    IF found IS NULL THEN
        INSERT INTO place (uprn, address_key) VALUES (key_uprn, key_addr) ON CONFLICT DO NOTHING RETURNING id INTO found;
        IF found IS NULL THEN -- a concurrent insert won the key
            SELECT id INTO found FROM place WHERE uprn = key_uprn OR address_key = key_addr LIMIT 1;
        END IF;
    END IF;
    NEW.matched_place_id := found;
    NEW.place_id := network_place_current(found);
    RETURN NEW;
END
$$;

CREATE TRIGGER location_match_place BEFORE INSERT OR UPDATE OF name, postcode, uprn ON location
    FOR EACH ROW EXECUTE FUNCTION network_match_place();

UPDATE location SET name = name;
ALTER TABLE location ALTER COLUMN place_id SET NOT NULL, ALTER COLUMN matched_place_id SET NOT NULL;
CREATE INDEX location_place_idx ON location (place_id);
CREATE INDEX location_postcode_norm_idx ON location (postcode_norm);

-- A supervisor's merge of one place into another, and its undoing; the recordings moved are listed so that an
-- unmerge moves back exactly those.
CREATE TABLE place_merge (
    id              bigserial PRIMARY KEY,
    public_id       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    from_place_id   bigint NOT NULL REFERENCES place(id),
    into_place_id   bigint NOT NULL REFERENCES place(id),
    location_ids    bigint[] NOT NULL,
    reason          text NOT NULL CHECK (length(btrim(reason)) > 0),
    merged_by       text NOT NULL,
    merged_agency   text NOT NULL,
    merged_at       timestamptz NOT NULL,
    unmerged_by     text,
    unmerged_at     timestamptz,
    CHECK (from_place_id <> into_place_id)
);
CREATE INDEX place_merge_from_idx ON place_merge (from_place_id);
CREATE INDEX place_merge_into_idx ON place_merge (into_place_id);

-- Who recorded an association (the agency is already there), and when it ended, if it did.
ALTER TABLE association
    ADD COLUMN recorded_by text,
    ADD COLUMN ended_at    timestamptz;
CREATE INDEX association_type_observed_idx ON association (coalesce(observed_at, created_at));

-- The node of the network an association end stands for: a child (its identity, or for a record not yet resolved
-- into a child the record, as a negative id), a place, an adult, a vehicle or a phone.
CREATE FUNCTION network_node(end_kind text, end_id bigint, OUT node_kind text, OUT node_id bigint)
    LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN end_kind IN ('person_record', 'episode', 'concern') THEN 'child'
                WHEN end_kind = 'location' THEN 'place' ELSE end_kind END,
           CASE end_kind
               WHEN 'person_record' THEN (SELECT coalesce(identity_id, -id) FROM person_record WHERE id = end_id)
               WHEN 'episode' THEN (SELECT coalesce(pr.identity_id, -pr.id) FROM missing_episode e
                                    JOIN person_record pr ON pr.id = e.person_record_id WHERE e.id = end_id)
               WHEN 'concern' THEN (SELECT coalesce(pr.identity_id, -pr.id) FROM exploitation_concern c
                                    JOIN person_record pr ON pr.id = c.person_record_id WHERE c.id = end_id)
               WHEN 'location' THEN (SELECT place_id FROM location WHERE id = end_id)
               ELSE end_id END
$$;

-- A child's home area: the responsible authority a record names, else a local authority holding a record, else the
-- police force that reported the child missing (the home force). Null when none is known.
CREATE FUNCTION network_home_area(child_node bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT min(pr.responsible_authority) FROM person_record pr
         WHERE (pr.identity_id = child_node OR pr.id = -child_node) AND pr.responsible_authority IS NOT NULL),
        (SELECT min(a.code) FROM person_record pr JOIN agency a ON a.id = pr.agency_id
         WHERE (pr.identity_id = child_node OR pr.id = -child_node) AND a.agency_type = 'local_authority'),
        (SELECT min(a.code) FROM person_record pr JOIN missing_episode e ON e.person_record_id = pr.id
         JOIN agency a ON a.id = e.agency_id
         WHERE (pr.identity_id = child_node OR pr.id = -child_node) AND a.agency_type = 'police_force'))
$$;

-- An area code (an agency's code or the ONS code of its area) as people name it.
CREATE FUNCTION network_area_name(area text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT name FROM agency WHERE code = area),
                    (SELECT min(name) FROM agency WHERE area_code = area), area)
$$;
