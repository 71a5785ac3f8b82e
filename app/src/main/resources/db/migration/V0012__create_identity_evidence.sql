-- Why records share an identity: each engine link keeps its weight and the per-comparison explanation
-- (level labels and weights, never field values), so a person can see why two records were joined.
CREATE TABLE identity_link (
    id           bigserial PRIMARY KEY,
    identity_id  bigint NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
    record_a     bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    record_b     bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    weight       double precision NOT NULL,
    probability  double precision NOT NULL,
    evidence     text NOT NULL,
    source       text NOT NULL CHECK (source IN ('engine', 'supervisor')),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identity_link_identity_idx ON identity_link (identity_id);
CREATE INDEX identity_link_a_idx ON identity_link (record_a);
CREATE INDEX identity_link_b_idx ON identity_link (record_b);

-- Pairs the engine was not sure about, for a supervisor: a decision (must / cannot link) with its rationale
-- is fed back as a constraint to every later run.
CREATE TABLE identity_review (
    id           bigserial PRIMARY KEY,
    public_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    record_a     bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    record_b     bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    weight       double precision NOT NULL,
    probability  double precision NOT NULL,
    reason       text NOT NULL,
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'must_link', 'cannot_link')),
    rationale    text,
    decided_by   text,
    decided_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    version      int NOT NULL DEFAULT 0,
    UNIQUE (record_a, record_b),
    CHECK (status = 'open' OR rationale IS NOT NULL)
);
