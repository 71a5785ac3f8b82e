-- Facts that can be unknown are never a bare boolean: "no" and "nobody recorded it" differ.
CREATE TYPE tri_state AS ENUM ('yes', 'no', 'not_known', 'not_recorded');

-- A resolved child: the identity that agencies' records are linked to.
CREATE TABLE identity (
    id          bigserial PRIMARY KEY,
    public_id   uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_attention')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    version     int NOT NULL DEFAULT 0
);

-- A person as one agency holds them. Dates of birth may be partial, so day and month are nullable.
CREATE TABLE person_record (
    id                       bigserial PRIMARY KEY,
    public_id                uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id                bigint NOT NULL REFERENCES agency(id),
    record_ref               text NOT NULL,
    identity_id              bigint REFERENCES identity(id),
    given_name               text,
    middle_names             text,
    family_name              text,
    dob_year                 int CHECK (dob_year BETWEEN 1900 AND 2100),
    dob_month                int CHECK (dob_month BETWEEN 1 AND 12),
    dob_day                  int CHECK (dob_day BETWEEN 1 AND 31),
    sex                      text NOT NULL DEFAULT 'not_recorded' CHECK (sex IN ('male', 'female', 'not_known', 'not_recorded')),
    ethnicity_code           text,
    ethnicity_scheme         text,
    ethnicity_status         text NOT NULL DEFAULT 'not_recorded' CHECK (ethnicity_status IN ('recorded', 'refused', 'not_known', 'not_recorded')),
    upn                      text,
    local_child_id           text,
    care_status              text NOT NULL DEFAULT 'not_recorded' CHECK (care_status IN ('looked_after', 'not_looked_after', 'not_known', 'not_recorded')),
    responsible_authority    text,
    cp_plan                  tri_state NOT NULL DEFAULT 'not_recorded',
    known_to_social_care     tri_state NOT NULL DEFAULT 'not_recorded',
    recorded_at              timestamptz NOT NULL DEFAULT now(),
    content_hash             text,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    version                  int NOT NULL DEFAULT 0,
    CHECK (dob_day IS NULL OR dob_month IS NOT NULL),
    CHECK (dob_month IS NULL OR dob_year IS NOT NULL),
    UNIQUE (agency_id, record_ref)
);
CREATE INDEX person_record_identity_idx ON person_record (identity_id);
CREATE INDEX person_record_family_idx ON person_record (lower(family_name));
CREATE INDEX person_record_given_idx ON person_record (lower(given_name));
CREATE INDEX person_record_dob_idx ON person_record (dob_year, dob_month, dob_day);

CREATE TABLE person_alias (
    id                bigserial PRIMARY KEY,
    person_record_id  bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    full_name         text NOT NULL
);
CREATE INDEX person_alias_record_idx ON person_alias (person_record_id);

CREATE TABLE person_address (
    id                bigserial PRIMARY KEY,
    person_record_id  bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    address_line      text,
    postcode          text,
    valid_from        date,
    valid_to          date,
    is_current        boolean NOT NULL DEFAULT true
);
CREATE INDEX person_address_record_idx ON person_address (person_record_id);
CREATE INDEX person_address_postcode_idx ON person_address (postcode);

CREATE TABLE person_placement (
    id                bigserial PRIMARY KEY,
    person_record_id  bigint NOT NULL REFERENCES person_record(id) ON DELETE CASCADE,
    placement_start   date NOT NULL,
    placement_end     date,
    host_authority    text,
    postcode          text,
    placement_type    text
);
CREATE INDEX person_placement_record_idx ON person_placement (person_record_id);
