-- Issue 9 part 8: the victims' profile read from one row per child with an exploitation concern, holding its facts
-- already gathered across all its records (the most-informative rule), instead of reading every record of every such
-- child and its episodes at each page. Which children an area and period count is decided at read time from the kept
-- concerns, so any area and any period are served; what depends on the as-at date (the age band, reported missing by
-- an episode reported by then) is settled at read time from the kept dates.
CREATE TABLE stat_victim_child (
    child                 bigint  PRIMARY KEY, -- the identity, or minus the record's id while it has none
    records               integer NOT NULL,    -- the agency records the child's facts were gathered from
    sex                   text    NOT NULL,    -- each fact: a code, NOT_KNOWN, NOT_RECORDED or CONFLICTING
    ethnicity             text    NOT NULL,
    ethnic_group          text    NOT NULL,
    looked_after          text    NOT NULL,
    cp_plan               text    NOT NULL,
    known_to_social_care  text    NOT NULL,
    recorded_missing      text    NOT NULL,    -- "reported missing" as the records themselves say it
    first_episode_at      timestamptz,         -- the earliest report of a missing episode, by any agency
    -- Two short texts VictimAggregate reads and writes itself (COPY writes them as they are):
    dobs                  text    NOT NULL,    -- each record's date of birth as YYYYMMDD, 00 for a part not recorded,
                                               -- space-separated ('' when none has a year)
    conflicts             text    NOT NULL     -- 'dimension=VALUE|VALUE;…' for each fact whose records disagree, or ''
);

-- Each concern under the child it is about, so that which children an area and period count is read without going
-- back through the person records (a page at a million children did so for every concern of the area).
CREATE TABLE stat_victim_concern (
    child         bigint NOT NULL,
    agency_id     bigint NOT NULL,
    raised_from   timestamptz,  -- the bounds of what is known of when it was raised (exploitation_concern's)
    raised_until  timestamptz
);
CREATE INDEX stat_victim_concern_child ON stat_victim_concern (child);

-- Children whose rows may have changed, written by triggers in the changing transaction (every writer is covered, and a
-- change never commits without its row); a refresh gathers them again and deletes their queue rows in one transaction.
CREATE TABLE stat_dirty_victim (
    id     bigserial PRIMARY KEY,
    child  bigint NOT NULL
);

CREATE FUNCTION stat_victim_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: a query over the transition tables returning the children a change touches
    EXECUTE format('INSERT INTO stat_dirty_victim (child) SELECT DISTINCT x.child FROM (%s) x(child)', TG_ARGV[0]);
    RETURN NULL;
END $$;

-- A record joining a child (a new record with no identity yet has no concern, so is no victim yet), leaving one, or
-- changing a fact the profile counts.
CREATE TRIGGER stat_victim_person_ins AFTER INSERT ON person_record REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        'SELECT identity_id FROM new_rows WHERE identity_id IS NOT NULL');
CREATE TRIGGER stat_victim_person_upd AFTER UPDATE ON person_record
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        $$SELECT unnest(ARRAY[coalesce(o.identity_id, -o.id), coalesce(n.identity_id, -n.id)])
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE o.identity_id IS DISTINCT FROM n.identity_id OR o.sex IS DISTINCT FROM n.sex
             OR o.ethnicity_status IS DISTINCT FROM n.ethnicity_status
             OR o.ethnicity_scheme IS DISTINCT FROM n.ethnicity_scheme
             OR o.ethnicity_code IS DISTINCT FROM n.ethnicity_code
             OR o.dob_year IS DISTINCT FROM n.dob_year OR o.dob_month IS DISTINCT FROM n.dob_month
             OR o.dob_day IS DISTINCT FROM n.dob_day OR o.care_status IS DISTINCT FROM n.care_status
             OR o.cp_plan IS DISTINCT FROM n.cp_plan OR o.known_to_social_care IS DISTINCT FROM n.known_to_social_care
             OR o.reported_missing IS DISTINCT FROM n.reported_missing$$);
CREATE TRIGGER stat_victim_person_del AFTER DELETE ON person_record REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture('SELECT coalesce(identity_id, -id) FROM old_rows');

-- A concern makes its record's child a victim (or, deleted or moved, may stop it being one); its agency and date
-- decide which areas and periods count the child.
CREATE TRIGGER stat_victim_concern_ins AFTER INSERT ON exploitation_concern REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id) FROM new_rows c JOIN person_record pr ON pr.id = c.person_record_id$$);
CREATE TRIGGER stat_victim_concern_upd AFTER UPDATE ON exploitation_concern
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id)
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          JOIN person_record pr ON pr.id IN (o.person_record_id, n.person_record_id)
          WHERE o.person_record_id IS DISTINCT FROM n.person_record_id OR o.agency_id IS DISTINCT FROM n.agency_id
             OR o.raised_from IS DISTINCT FROM n.raised_from OR o.raised_until IS DISTINCT FROM n.raised_until$$);
CREATE TRIGGER stat_victim_concern_del AFTER DELETE ON exploitation_concern REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id) FROM old_rows c JOIN person_record pr ON pr.id = c.person_record_id$$);

-- An episode (its report time, or whose it is) settles "reported missing" from the day it was reported.
CREATE TRIGGER stat_victim_episode_ins AFTER INSERT ON missing_episode REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id) FROM new_rows e JOIN person_record pr ON pr.id = e.person_record_id$$);
CREATE TRIGGER stat_victim_episode_upd AFTER UPDATE ON missing_episode
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id)
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          JOIN person_record pr ON pr.id IN (o.person_record_id, n.person_record_id)
          WHERE o.person_record_id IS DISTINCT FROM n.person_record_id OR o.reported_at IS DISTINCT FROM n.reported_at$$);
CREATE TRIGGER stat_victim_episode_del AFTER DELETE ON missing_episode REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_victim_capture(
        $$SELECT coalesce(pr.identity_id, -pr.id) FROM old_rows e JOIN person_record pr ON pr.id = e.person_record_id$$);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE 'GRANT TRUNCATE ON stat_victim_child, stat_victim_concern TO ${appRole}';
    END IF;
END;
$$;
