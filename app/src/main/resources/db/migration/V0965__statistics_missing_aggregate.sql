-- Issue 9 part 8: the missing-episode figures read from pre-aggregated counts, refreshed incrementally.
--
-- Counts per area code and standard period (month, quarter, financial year, calendar year) and per cell (measure and
-- code, e.g. duration UNDER_6H). A dashboard for a standard period reads a few dozen rows here instead of every
-- episode of the area; any other period is computed from the records as before.
CREATE TABLE stat_missing_cell (
    area     text   NOT NULL,
    period   text   NOT NULL,
    cell     text   NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (area, period, cell)
);

-- What each child contributed at the last refresh: the rows its figures were counted from, with the areas each row's
-- agency counted towards then, so that a change (an agency moved to another area too) is applied as new minus old
-- without recounting the area. The child is the identity, or minus the record's id while a
-- record has none (as the figures count it).
CREATE TABLE stat_missing_child (
    child  bigint PRIMARY KEY,
    input  bytea  NOT NULL
);

-- Which child each record with episodes was counted under, so a record that moves between identities (a merge, a
-- split, a relink) has its old child recounted as well as its new one.
CREATE TABLE stat_missing_record (
    record_id  bigint PRIMARY KEY,
    child      bigint NOT NULL
);
CREATE INDEX stat_missing_record_child ON stat_missing_record (child);

-- Records whose figures may have changed, written by triggers in the same transaction as the change (every writer is
-- covered, and a change never commits without its row); the refresher recounts their children and deletes the rows in
-- one transaction, so a process killed in between leaves them for the next refresh.
CREATE TABLE stat_dirty_record (
    id         bigserial PRIMARY KEY,
    record_id  bigint NOT NULL
);

-- The counting rule's version the counts were built with: another version rebuilds them, and until then the figures
-- are computed from the records.
CREATE TABLE stat_aggregate_state (
    name      text PRIMARY KEY,
    version   integer NOT NULL,
    built_at  timestamptz NOT NULL
);

CREATE FUNCTION stat_dirty_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: the column of changed_rows holding the person record
    EXECUTE format('INSERT INTO stat_dirty_record (record_id) SELECT DISTINCT %I FROM changed_rows WHERE %I IS NOT NULL',
                   TG_ARGV[0], TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE FUNCTION stat_dirty_capture_episode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Rows naming an episode (TG_ARGV[0]: its column), when they say where the child was found.
    EXECUTE format('INSERT INTO stat_dirty_record (record_id) SELECT DISTINCT e.person_record_id FROM changed_rows c '
                   || 'JOIN missing_episode e ON e.id = c.%I WHERE %s', TG_ARGV[0], TG_ARGV[1]);
    RETURN NULL;
END $$;

-- A record that moved to another identity, when it has episodes; other updates of person records change nothing the
-- missing figures count.
CREATE FUNCTION stat_dirty_capture_identity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stat_dirty_record (record_id)
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE o.identity_id IS DISTINCT FROM n.identity_id
      AND EXISTS (SELECT 1 FROM missing_episode e WHERE e.person_record_id = n.id);
    RETURN NULL;
END $$;

CREATE TRIGGER stat_dirty_episode_ins AFTER INSERT ON missing_episode REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture('person_record_id');
CREATE TRIGGER stat_dirty_episode_upd_new AFTER UPDATE ON missing_episode REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture('person_record_id');
CREATE TRIGGER stat_dirty_episode_upd_old AFTER UPDATE ON missing_episode REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture('person_record_id');
CREATE TRIGGER stat_dirty_episode_del AFTER DELETE ON missing_episode REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture('person_record_id');
CREATE TRIGGER stat_dirty_event_ins AFTER INSERT ON episode_event REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture_episode('episode_id', $$c.event_type = 'found'$$);
CREATE TRIGGER stat_dirty_found_at_ins AFTER INSERT ON association REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture_episode(
        'from_id', $$c.from_kind = 'episode' AND c.association_type = 'found_at'$$);
CREATE TRIGGER stat_dirty_found_at_del AFTER DELETE ON association REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture_episode(
        'from_id', $$c.from_kind = 'episode' AND c.association_type = 'found_at'$$);
CREATE TRIGGER stat_dirty_person_upd AFTER UPDATE ON person_record
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture_identity();

-- An agency whose code, name, kind or area changed: its episodes count elsewhere now, and a force's name and code are
-- what finds recorded by it are matched by. A new force may be the one such finds name.
CREATE FUNCTION stat_dirty_capture_agency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.code IS NOT DISTINCT FROM NEW.code AND OLD.name IS NOT DISTINCT FROM NEW.name
           AND OLD.agency_type IS NOT DISTINCT FROM NEW.agency_type
           AND OLD.area_code IS NOT DISTINCT FROM NEW.area_code THEN
            RETURN NULL;
        END IF;
        INSERT INTO stat_dirty_record (record_id)
        SELECT DISTINCT person_record_id FROM missing_episode WHERE agency_id = NEW.id;
    END IF;
    IF NEW.agency_type = 'police_force' OR TG_OP = 'UPDATE' AND OLD.agency_type = 'police_force' THEN
        INSERT INTO stat_dirty_record (record_id)
        SELECT DISTINCT e.person_record_id FROM episode_event ev JOIN missing_episode e ON e.id = ev.episode_id
        WHERE ev.event_type = 'found'
          AND ev.recorded_by_agency IN (NEW.code, NEW.name, coalesce(OLD.code, NEW.code), coalesce(OLD.name, NEW.name));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stat_dirty_agency AFTER INSERT OR UPDATE ON agency
    FOR EACH ROW EXECUTE FUNCTION stat_dirty_capture_agency();

-- Regions come from the reference files: a changed file may move whole areas, so every child with episodes is
-- recounted (reference files are reloaded only when they change).
CREATE FUNCTION stat_dirty_capture_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stat_dirty_record (record_id) SELECT DISTINCT person_record_id FROM missing_episode;
    RETURN NULL;
END $$;
CREATE TRIGGER stat_dirty_ref_force AFTER INSERT OR UPDATE OR DELETE ON ref_police_force
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture_all();
CREATE TRIGGER stat_dirty_ref_authority AFTER INSERT OR UPDATE OR DELETE ON ref_local_authority
    FOR EACH STATEMENT EXECUTE FUNCTION stat_dirty_capture_all();

-- A rebuild empties the counts and what each child contributed (a million rows at scale) with TRUNCATE, not DELETE.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE 'GRANT TRUNCATE ON stat_missing_cell, stat_missing_child, stat_missing_record TO ${appRole}';
    END IF;
END;
$$;
