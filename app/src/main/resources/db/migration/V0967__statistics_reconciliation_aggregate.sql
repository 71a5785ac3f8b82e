-- Issue 9 part 8: the reconciliation view reads, for a standard period, one row per authority and looked-after child
-- missing over 24 hours instead of every episode of every looked-after child. Two variants: as at the period's last
-- day (an episode still missing then, or found after it, is timed to the end of that day) and as at any later day
-- (still missing counts as over 24 hours, since the period ended at least a day before).
CREATE TABLE stat_recon_child (
    period                  text        NOT NULL,
    la_id                   bigint      NOT NULL,
    child                   bigint      NOT NULL, -- the identity, or minus the record's id while it has none
    -- as at any later day
    by_authority            boolean     NOT NULL,
    by_police               boolean     NOT NULL,
    authority_episodes      integer     NOT NULL,
    police_episodes         integer     NOT NULL,
    first_start             timestamptz,
    -- as at the period's last day (a subset: an episode over 24 hours then is over 24 hours later too)
    end_by_authority        boolean     NOT NULL,
    end_by_police           boolean     NOT NULL,
    end_authority_episodes  integer     NOT NULL,
    end_police_episodes     integer     NOT NULL,
    end_first_start         timestamptz,
    PRIMARY KEY (period, la_id, child)
);
CREATE INDEX stat_recon_child_child ON stat_recon_child (child);

-- Children whose rows may have changed, written by triggers in the changing transaction; a refresh counts them again.
CREATE TABLE stat_dirty_child (
    id     bigserial PRIMARY KEY,
    child  bigint NOT NULL
);

CREATE FUNCTION stat_recon_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: a query over the transition tables returning the children whose rows a change touches
    EXECUTE format('INSERT INTO stat_dirty_child (child) SELECT DISTINCT x.child FROM (%s) x(child)', TG_ARGV[0]);
    RETURN NULL;
END $$;

-- A record makes a child an authority's (looked after by it, or naming it responsible), moves between children, or
-- holds episodes; other edits change nothing counted here.
CREATE TRIGGER stat_recon_person_ins AFTER INSERT ON person_record REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_recon_capture(
        $$SELECT coalesce(identity_id, -id) FROM new_rows
          WHERE care_status = 'looked_after' OR responsible_authority IS NOT NULL$$);
CREATE TRIGGER stat_recon_person_upd AFTER UPDATE ON person_record
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_recon_capture(
        $$SELECT unnest(ARRAY[coalesce(o.identity_id, -o.id), coalesce(n.identity_id, -n.id)])
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE o.identity_id IS DISTINCT FROM n.identity_id OR o.agency_id IS DISTINCT FROM n.agency_id
             OR o.care_status IS DISTINCT FROM n.care_status
             OR o.responsible_authority IS DISTINCT FROM n.responsible_authority$$);
CREATE TRIGGER stat_recon_person_del AFTER DELETE ON person_record REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_recon_capture('SELECT coalesce(identity_id, -id) FROM old_rows');

CREATE TRIGGER stat_recon_episode_ins AFTER INSERT ON missing_episode REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_recon_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id) FROM new_rows e JOIN person_record pr ON pr.id = e.person_record_id$$);
CREATE TRIGGER stat_recon_episode_upd AFTER UPDATE ON missing_episode
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_recon_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id)
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          JOIN person_record pr ON pr.id IN (o.person_record_id, n.person_record_id)
          WHERE o.person_record_id IS DISTINCT FROM n.person_record_id OR o.agency_id IS DISTINCT FROM n.agency_id
             OR o.reported_at IS DISTINCT FROM n.reported_at OR o.last_seen_at IS DISTINCT FROM n.last_seen_at
             OR o.found_at IS DISTINCT FROM n.found_at$$);
CREATE TRIGGER stat_recon_episode_del AFTER DELETE ON missing_episode REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_recon_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id) FROM old_rows e JOIN person_record pr ON pr.id = e.person_record_id$$);

-- An agency's code (what records name as responsible authority) or kind changes which children are whose, and whose
-- episodes are police ones, as does a new authority whose code records already name: rare, so the rows are counted again from scratch (pages compute from the records until
-- the next scheduled refresh has rebuilt them).
CREATE FUNCTION stat_recon_capture_agency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.agency_type = 'local_authority'
           AND EXISTS (SELECT 1 FROM person_record WHERE responsible_authority = NEW.code)
       OR TG_OP = 'UPDATE' AND (OLD.code IS DISTINCT FROM NEW.code OR OLD.agency_type IS DISTINCT FROM NEW.agency_type)
    THEN
        DELETE FROM stat_aggregate_state WHERE name = 'reconciliation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stat_recon_agency AFTER INSERT OR UPDATE ON agency
    FOR EACH ROW EXECUTE FUNCTION stat_recon_capture_agency();

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE 'GRANT TRUNCATE ON stat_recon_child TO ${appRole}';
    END IF;
END;
$$;
