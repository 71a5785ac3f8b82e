-- Issue 9 part 8: the data-quality view reads counts kept per agency instead of scanning every record, episode and
-- concern of the area. Completeness and check failures do not depend on the period; timeliness is kept per standard
-- period (as stat_missing_cell) and for all time ('ALL').
CREATE TABLE stat_quality_count (
    agency_id  bigint NOT NULL,
    measure    text   NOT NULL, -- 'records', 'field:<name>' (recorded), 'check:<code>' (failures)
    n          bigint NOT NULL,
    PRIMARY KEY (agency_id, measure)
);

CREATE TABLE stat_quality_timeliness (
    agency_id     bigint NOT NULL,
    period        text   NOT NULL,
    episodes      bigint NOT NULL,
    median_delay  double precision,
    found         bigint NOT NULL,
    within72      bigint NOT NULL,
    PRIMARY KEY (agency_id, period)
);

-- Agencies whose figures may have changed, written by triggers in the changing transaction. One row per agency and
-- transaction: a transaction that finds its own row does not add another, but never skips because of another
-- transaction's row (a refresh may already have read past that one's changes, and would miss these).
CREATE TABLE stat_dirty_agency (
    id         bigserial PRIMARY KEY,
    agency_id  bigint NOT NULL,
    txid       bigint NOT NULL DEFAULT txid_current()
);
CREATE INDEX stat_dirty_agency_tx ON stat_dirty_agency (txid, agency_id);

CREATE FUNCTION stat_quality_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: a query over the transition table changed_rows returning the agencies whose figures it touches
    EXECUTE format('INSERT INTO stat_dirty_agency (agency_id) SELECT DISTINCT x.agency_id FROM (%s) x(agency_id) '
                   || 'WHERE x.agency_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stat_dirty_agency d '
                   || 'WHERE d.txid = txid_current() AND d.agency_id = x.agency_id)', TG_ARGV[0]);
    RETURN NULL;
END $$;

-- Episodes and concerns count towards their own agency.
CREATE TRIGGER stat_quality_episode_ins AFTER INSERT ON missing_episode REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_episode_upd AFTER UPDATE ON missing_episode REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_episode_upd_old AFTER UPDATE ON missing_episode REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_episode_del AFTER DELETE ON missing_episode REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_concern_ins AFTER INSERT ON exploitation_concern REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_concern_upd AFTER UPDATE ON exploitation_concern REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_concern_upd_old AFTER UPDATE ON exploitation_concern REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_concern_del AFTER DELETE ON exploitation_concern REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');

-- A person record counts towards its agency, and a check may judge another agency's episodes or concerns by the
-- record they are about (DQ006: a concern about a child with no sex recorded).
CREATE TRIGGER stat_quality_person_ins AFTER INSERT ON person_record REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_person_upd AFTER UPDATE ON person_record REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture(
        $$SELECT agency_id FROM changed_rows
          UNION SELECT c.agency_id FROM exploitation_concern c JOIN changed_rows r ON r.id = c.person_record_id
          UNION SELECT e.agency_id FROM missing_episode e JOIN changed_rows r ON r.id = e.person_record_id$$);
CREATE TRIGGER stat_quality_person_upd_old AFTER UPDATE ON person_record REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');
CREATE TRIGGER stat_quality_person_del AFTER DELETE ON person_record REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stat_quality_capture('SELECT agency_id FROM changed_rows');

-- An agency's kind decides whether return interviews are its duty (DQ002).
CREATE FUNCTION stat_quality_capture_agency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.agency_type IS DISTINCT FROM NEW.agency_type THEN
        INSERT INTO stat_dirty_agency (agency_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stat_quality_agency AFTER UPDATE ON agency
    FOR EACH ROW EXECUTE FUNCTION stat_quality_capture_agency();

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        EXECUTE 'GRANT TRUNCATE ON stat_quality_count, stat_quality_timeliness TO ${appRole}';
    END IF;
END;
$$;
