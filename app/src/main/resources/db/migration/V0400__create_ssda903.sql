-- SSDA903 (children looked after return) data kept with its own date semantics: the DfE return works in
-- calendar dates, not instants, so the dates are stored as dates next to the shared model.

-- Header facts that person_record has no column for (MOTHER, MC_DOB), one row per looked-after child record.
CREATE TABLE ssda903_child (
    person_record_id  bigint PRIMARY KEY REFERENCES person_record(id) ON DELETE CASCADE,
    agency_id         bigint NOT NULL REFERENCES agency(id),
    child             text NOT NULL,
    mother            smallint CHECK (mother IN (0, 1)),
    mc_dob            date,
    version           int NOT NULL DEFAULT 0,
    UNIQUE (agency_id, child)
);

-- An SSDA903 episode of care: one row per change of placement or legal status.
CREATE TABLE care_episode (
    id                    bigserial PRIMARY KEY,
    public_id             uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id             bigint NOT NULL REFERENCES agency(id),
    person_record_id      bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    child                 text NOT NULL,
    decom                 date NOT NULL,
    rne                   text,
    ls                    text,
    cin                   text,
    place                 text,
    place_provider        text,
    dec                   date,
    rec                   text,
    reason_place_change   text,
    home_post             text,
    pl_post               text,
    urn                   text,
    content_hash          text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    version               int NOT NULL DEFAULT 0,
    CHECK (dec IS NULL OR dec >= decom),
    UNIQUE (agency_id, child, decom)
);
CREATE INDEX care_episode_person_idx ON care_episode (person_record_id);

-- The SSDA903 dates of a missing_episode imported from (or meant for) the Missing table.
CREATE TABLE ssda903_missing_period (
    missing_episode_id  bigint PRIMARY KEY REFERENCES missing_episode(id) ON DELETE CASCADE,
    mis_start           date NOT NULL,
    mis_end             date
);

-- Rows an SSDA903 import refused, with every error, so nothing is silently dropped.
CREATE TABLE ssda903_quarantine (
    id               bigserial PRIMARY KEY,
    agency_id        bigint NOT NULL REFERENCES agency(id),
    collection_year  int NOT NULL,
    file_kind        text NOT NULL CHECK (file_kind IN ('header', 'episodes', 'missing')),
    line_number      int NOT NULL,
    row_hash         text NOT NULL,
    raw_row          text NOT NULL,
    errors           text NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agency_id, collection_year, file_kind, row_hash)
);
