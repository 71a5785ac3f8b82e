-- Bulk import (PRODUCT.md C2): saved column-mapping profiles, one row per import run with its report,
-- quarantined rows with their errors, and the previous version of every row an import changed.

CREATE TABLE import_mapping_profile (
    id               bigserial PRIMARY KEY,
    public_id        uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id        bigint NOT NULL REFERENCES agency(id),
    kind             text NOT NULL CHECK (kind IN ('person-records', 'missing-episodes', 'concerns')),
    name             text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$'),
    -- {"source column": "standard column"}; source columns not named are ignored.
    column_map       jsonb NOT NULL DEFAULT '{}',
    -- {"standard column": {"source value": "standard value"}}
    value_maps       jsonb NOT NULL DEFAULT '{}',
    date_format      text,
    datetime_format  text,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          int NOT NULL DEFAULT 0,
    UNIQUE (agency_id, kind, name)
);

CREATE TABLE import_run (
    id            bigserial PRIMARY KEY,
    public_id     uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id     bigint NOT NULL REFERENCES agency(id),
    kind          text NOT NULL CHECK (kind IN ('person-records', 'missing-episodes', 'concerns')),
    profile_id    bigint REFERENCES import_mapping_profile(id) ON DELETE SET NULL,
    file_name     text NOT NULL,
    sha256        text NOT NULL,
    status        text NOT NULL CHECK (status IN ('previewed', 'running', 'completed', 'failed', 'discarded')),
    header        text[] NOT NULL DEFAULT '{}',
    received      int NOT NULL DEFAULT 0,
    imported      int NOT NULL DEFAULT 0,
    updated       int NOT NULL DEFAULT 0,
    unchanged     int NOT NULL DEFAULT 0,
    quarantined   int NOT NULL DEFAULT 0,
    estimated_rows int,
    -- What a preview found (same counts as the report, nothing written); null for runs started without one.
    preview       jsonb,
    file_error    text,
    started_by    text NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    version       int NOT NULL DEFAULT 0,
    -- Every received row is accounted for, at every commit (batches update all counts together).
    CHECK (received = imported + updated + unchanged + quarantined)
);
CREATE INDEX import_run_agency_idx ON import_run (agency_id, started_at DESC);

-- The uploaded file between a web preview and its commit; deleted once the run has read it.
CREATE TABLE import_upload (
    run_id   bigint PRIMARY KEY REFERENCES import_run(id) ON DELETE CASCADE,
    content  bytea NOT NULL
);

CREATE TABLE import_quarantine (
    id           bigserial PRIMARY KEY,
    public_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    run_id       bigint NOT NULL REFERENCES import_run(id) ON DELETE CASCADE,
    line         bigint NOT NULL,
    row_ref      text,
    -- The row as received, keyed by the file's own column names (NUL characters replaced by U+FFFD).
    raw          jsonb NOT NULL,
    errors       jsonb NOT NULL,
    status       text NOT NULL DEFAULT 'quarantined' CHECK (status IN ('quarantined', 'replayed')),
    outcome      text CHECK (outcome IN ('imported', 'updated', 'unchanged')),
    resolved_by  text,
    resolved_at  timestamptz,
    version      int NOT NULL DEFAULT 0
);
CREATE INDEX import_quarantine_run_idx ON import_quarantine (run_id, line);

-- Append-only: the version an import replaced, who replaced it, when and in which run.
CREATE TABLE import_history (
    id             bigserial PRIMARY KEY,
    kind           text NOT NULL,
    agency_id      bigint NOT NULL REFERENCES agency(id),
    target_id      bigint NOT NULL,
    row_ref        text NOT NULL,
    previous       jsonb NOT NULL,
    import_run_id  bigint NOT NULL REFERENCES import_run(id),
    changed_by     text NOT NULL,
    changed_at     timestamptz NOT NULL
);
CREATE INDEX import_history_target_idx ON import_history (kind, target_id);
