-- Exploitation concern lifecycle (raise, screen, link, outcome). Adds what the first schema left out.

ALTER TABLE exploitation_concern
    ADD COLUMN raised_by_role text,
    ADD COLUMN summary        text,
    ADD COLUMN outcome_at     timestamptz,
    ADD COLUMN outcome_by     text,
    ADD COLUMN outcome_notes  text,
    ADD CONSTRAINT exploitation_concern_outcome_closed CHECK (outcome IS NULL OR status = 'closed');

-- Screenings are never updated: re-screening adds a row, so history is the rows in order. The breakdown is
-- stored as scored, so later instrument versions can never change what an earlier screening said.
ALTER TABLE screening
    ADD COLUMN public_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    ADD COLUMN subject_age  int,
    ADD COLUMN breakdown    jsonb,
    ADD COLUMN score_band   text,
    ADD CONSTRAINT screening_override_reason_given CHECK (override_band IS NULL OR length(btrim(override_reason)) > 0);

-- What happened to a concern, for its page: status changes, screenings, links, outcome.
CREATE TABLE concern_history (
    id            bigserial PRIMARY KEY,
    concern_id    bigint NOT NULL REFERENCES exploitation_concern(id) ON DELETE CASCADE,
    occurred_at   timestamptz NOT NULL,
    actor         text NOT NULL,
    actor_agency  text NOT NULL,
    action        text NOT NULL,
    from_status   text,
    to_status     text,
    details       text
);
CREATE INDEX concern_history_concern_idx ON concern_history (concern_id, id);

-- References for concerns and for adults, places, vehicles and phones entered through Sightline itself.
CREATE SEQUENCE sightline_ref_seq;

-- A concern links each entity once per association type.
CREATE UNIQUE INDEX association_concern_unique ON association (from_id, to_kind, to_id, association_type)
    WHERE from_kind = 'concern';
