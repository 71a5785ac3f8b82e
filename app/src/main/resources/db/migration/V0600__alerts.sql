-- Alerts (issue 8, PRODUCT.md C5). Rules read facts across a child's whole identity and raise an alert once per
-- cause; each alert goes to every agency that must act, and each of those works it through its own states.

-- Transactional outbox: a row per changed subject, written by triggers in the same transaction as the change, so
-- every writer (pages, API, CSV import, SSDA903 import, identity resolution, bulk load) is covered and a change can
-- never commit without its row. The worker evaluates the children concerned and deletes the rows in one transaction:
-- a process killed in between leaves the rows for the next drain.
CREATE TABLE alert_outbox (
    id            bigserial PRIMARY KEY,
    subject_kind  text NOT NULL CHECK (subject_kind IN ('person_record', 'episode', 'concern', 'association')),
    subject_id    bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Statement-level, with transition tables: one insert per statement however many rows it wrote (bulk imports).
CREATE FUNCTION alert_outbox_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO alert_outbox (subject_kind, subject_id) SELECT DISTINCT %L, %I FROM changed_rows',
                   TG_ARGV[0], TG_ARGV[1]);
    RETURN NULL;
END $$;

CREATE FUNCTION alert_outbox_capture_via() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV: subject kind, parent table, parent column holding the subject, foreign key in the changed rows
    EXECUTE format('INSERT INTO alert_outbox (subject_kind, subject_id) SELECT DISTINCT %L, p.%I FROM changed_rows c '
                   || 'JOIN %I p ON p.id = c.%I', TG_ARGV[0], TG_ARGV[2], TG_ARGV[1], TG_ARGV[3]);
    RETURN NULL;
END $$;

CREATE TRIGGER alert_outbox_person_ins AFTER INSERT ON person_record REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'id');
CREATE TRIGGER alert_outbox_person_upd AFTER UPDATE ON person_record REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'id');
CREATE TRIGGER alert_outbox_placement_ins AFTER INSERT ON person_placement REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'person_record_id');
CREATE TRIGGER alert_outbox_placement_upd AFTER UPDATE ON person_placement REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'person_record_id');
CREATE TRIGGER alert_outbox_episode_ins AFTER INSERT ON missing_episode REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'person_record_id');
CREATE TRIGGER alert_outbox_episode_upd AFTER UPDATE ON missing_episode REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'person_record_id');
CREATE TRIGGER alert_outbox_grading_ins AFTER INSERT ON risk_grading REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('episode', 'episode_id');
CREATE TRIGGER alert_outbox_episode_event_ins AFTER INSERT ON episode_event REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('episode', 'episode_id');
CREATE TRIGGER alert_outbox_concern_ins AFTER INSERT ON exploitation_concern REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'person_record_id');
CREATE TRIGGER alert_outbox_concern_upd AFTER UPDATE ON exploitation_concern REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('person_record', 'person_record_id');
CREATE TRIGGER alert_outbox_screening_ins AFTER INSERT ON screening REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('concern', 'concern_id');
CREATE TRIGGER alert_outbox_association_ins AFTER INSERT ON association REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_outbox_capture('association', 'id');

-- Every association end that is a child's record, episode or concern, as the record: what rules read to find the
-- adults, places and other children a child is linked to.
CREATE VIEW alert_child_link AS
SELECT x.id AS association_id, x.agency_id, x.association_type, coalesce(x.observed_at, x.created_at) AS observed_at,
       CASE x.from_kind WHEN 'person_record' THEN x.from_id
                        WHEN 'episode' THEN (SELECT e.person_record_id FROM missing_episode e WHERE e.id = x.from_id)
                        ELSE (SELECT c.person_record_id FROM exploitation_concern c WHERE c.id = x.from_id) END
           AS person_record_id,
       x.to_kind AS other_kind, x.to_id AS other_id
FROM association x WHERE x.from_kind IN ('person_record', 'episode', 'concern')
UNION ALL
SELECT x.id, x.agency_id, x.association_type, coalesce(x.observed_at, x.created_at),
       CASE x.to_kind WHEN 'person_record' THEN x.to_id
                      WHEN 'episode' THEN (SELECT e.person_record_id FROM missing_episode e WHERE e.id = x.to_id)
                      ELSE (SELECT c.person_record_id FROM exploitation_concern c WHERE c.id = x.to_id) END,
       x.from_kind, x.from_id
FROM association x WHERE x.to_kind IN ('person_record', 'episode', 'concern');

-- One alert per cause: the cause key names the facts (e.g. the incident's first episode record), never the identity,
-- whose number changes when records are merged or relinked; so re-evaluating after a merge raises nothing twice.
-- The explanation is a message key and its arguments (the facts in words), resolved from the bundle when shown.
CREATE TABLE alert (
    id                 bigserial PRIMARY KEY,
    public_id          uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    cause_key          text NOT NULL UNIQUE,
    rule               text NOT NULL,
    person_record_id   bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    weight             int NOT NULL,
    message_key        text NOT NULL,
    message_args       text[] NOT NULL DEFAULT '{}',
    facts              text[] NOT NULL DEFAULT '{}',
    occurred_at        timestamptz NOT NULL,
    raised_at          timestamptz NOT NULL,
    settings_version   int NOT NULL DEFAULT 0
);
CREATE INDEX alert_record_idx ON alert (person_record_id);
CREATE INDEX alert_raised_idx ON alert (raised_at);

-- Each agency that must act on an alert, and where it is with it.
CREATE TABLE alert_recipient (
    id              bigserial PRIMARY KEY,
    alert_id        bigint NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
    agency_id       bigint NOT NULL REFERENCES agency(id),
    reasons         text[] NOT NULL,
    state           text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged', 'actioned', 'dismissed')),
    state_at        timestamptz NOT NULL,
    state_by        text,
    note            text CHECK (length(note) <= 2000),
    dismiss_reason  text,
    version         int NOT NULL DEFAULT 0,
    UNIQUE (alert_id, agency_id),
    CHECK (state <> 'actioned' OR note IS NOT NULL),
    CHECK (state <> 'dismissed' OR dismiss_reason IS NOT NULL)
);
CREATE INDEX alert_recipient_agency_idx ON alert_recipient (agency_id, state);

CREATE TABLE alert_recipient_history (
    id             bigserial PRIMARY KEY,
    recipient_id   bigint NOT NULL REFERENCES alert_recipient(id) ON DELETE CASCADE,
    occurred_at    timestamptz NOT NULL,
    actor          text NOT NULL,
    from_state     text,
    to_state       text NOT NULL,
    note           text,
    dismiss_reason text
);
CREATE INDEX alert_recipient_history_idx ON alert_recipient_history (recipient_id, id);

-- What the latest evaluation of a child could not decide, and which fact it lacked: shown, never a silent "no".
-- Replaced at every evaluation of the child; anchored on the child's first record like alerts.
CREATE TABLE alert_undecided (
    person_record_id  bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    rule              text NOT NULL,
    message_key       text NOT NULL,
    message_args      text[] NOT NULL DEFAULT '{}',
    evaluated_at      timestamptz NOT NULL,
    PRIMARY KEY (person_record_id, rule)
);

-- The scheduled pass for the time rules (24 hours missing, 72 hours to the return interview): the instant up to which
-- thresholds have been queued. Moved in the transaction that queues them, so a killed pass is simply redone.
CREATE TABLE alert_clock (
    id         int PRIMARY KEY CHECK (id = 1),
    passed_to  timestamptz NOT NULL
);
