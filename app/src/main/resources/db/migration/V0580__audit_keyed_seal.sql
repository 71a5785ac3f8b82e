-- Audit entries are sealed after they commit, by one sealer at a time, into a chain ordered by seq: each entry's MAC
-- (HMAC-SHA256 with a key kept outside the database, named by key_id) covers its content and the previous entry's
-- MAC. Someone who can write to the database cannot recompute the chain without the key, and the chain head is
-- checkpointed outside the database, so truncation and removal of the newest entries are detected too.
-- The unkeyed SHA-256 chain it replaces is dropped: the sealer seals the existing entries first, in id order.
ALTER TABLE audit_event DROP COLUMN prev_hash, DROP COLUMN hash;
ALTER TABLE audit_event ADD COLUMN seq bigint UNIQUE, ADD COLUMN key_id text, ADD COLUMN mac text;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_sealed_whole
    CHECK ((seq IS NULL) = (mac IS NULL) AND (seq IS NULL) = (key_id IS NULL));
CREATE INDEX audit_event_unsealed_idx ON audit_event (id) WHERE seq IS NULL;

-- Rows never change, except once: an unsealed row receives its seq, key id and MAC.
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (NEW.id, NEW.occurred_at, NEW.actor, NEW.actor_agency, NEW.action, NEW.subject_type, NEW.subject_id,
            NEW.reason, NEW.correlation_id, NEW.details)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.actor, OLD.actor_agency, OLD.action, OLD.subject_type, OLD.subject_id,
            OLD.reason, OLD.correlation_id, OLD.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION audit_event_refuses_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: it cannot be truncated';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuses_truncate();

-- Least privilege: the application connects as ${appRole}, which may read and add audit entries and seal them,
-- never change, delete or truncate them; migrations run as the owner (spring.flyway.user). A deployment whose
-- migrating user may not create roles creates ${appRole} beforehand (docs/operations.md); where neither is possible
-- the grants are skipped with a notice and the application warns at start that it connects as the owner.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN
        BEGIN
            CREATE ROLE ${appRole} LOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role ${appRole} does not exist and cannot be created here: grants skipped';
            RETURN;
        END;
    END IF;
    EXECUTE 'GRANT USAGE ON SCHEMA public TO ${appRole}';
    EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appRole}';
    EXECUTE 'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${appRole}';
    EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM ${appRole}';
    EXECUTE 'GRANT UPDATE (seq, key_id, mac) ON audit_event TO ${appRole}';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${appRole}';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${appRole}';
END;
$$;
