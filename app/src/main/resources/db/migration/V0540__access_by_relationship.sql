-- Access by relationship (PRODUCT.md C8): a relationship an agency was granted with a child, beyond the records it
-- holds. Alerts grant the whole agency; break glass grants one user for a limited time with a recorded reason and is
-- reviewed by the agency's supervisors. A grant is anchored on a person record (identities are renumbered by relink;
-- records are not), and applies to the identity that record belongs to.
CREATE TABLE child_relationship (
    id                bigserial PRIMARY KEY,
    public_id         uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    person_record_id  bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    agency_id         bigint NOT NULL REFERENCES agency(id),
    user_public_id    uuid,
    kind              text NOT NULL CHECK (kind IN ('alert', 'break_glass')),
    reason_code       text,
    reason_text       text CHECK (length(reason_text) <= 1000),
    source_ref        text,
    granted_by        text NOT NULL,
    granted_at        timestamptz NOT NULL,
    expires_at        timestamptz,
    reviewed_by       text,
    reviewed_at       timestamptz,
    review_note       text CHECK (length(review_note) <= 1000),
    version           int NOT NULL DEFAULT 0,
    CHECK (kind <> 'break_glass' OR (user_public_id IS NOT NULL AND reason_code IS NOT NULL AND reason_text IS NOT NULL
                                     AND expires_at IS NOT NULL)),
    CHECK (reviewed_at IS NULL OR review_note IS NOT NULL)
);
CREATE INDEX child_relationship_record_idx ON child_relationship (person_record_id);
CREATE INDEX child_relationship_agency_idx ON child_relationship (agency_id, granted_at DESC);

-- Whom another agency should contact about a child it may only know exists.
ALTER TABLE agency ADD COLUMN contact text;

-- A must-link that joins two agencies' records waits for a supervisor of the other agency: the first supervisor's
-- proposal is kept here while the pair stays open.
ALTER TABLE identity_review
    ADD COLUMN proposed_by         text,
    ADD COLUMN proposed_agency_id  bigint REFERENCES agency(id),
    ADD COLUMN proposed_at         timestamptz,
    ADD COLUMN proposed_rationale  text,
    ADD COLUMN decided_agency_id   bigint REFERENCES agency(id);
CREATE INDEX identity_review_created_idx ON identity_review (created_at);
