-- Adults, places, vehicles and phones that connect children; each is held by an agency.
CREATE TABLE adult_of_concern (
    id               bigserial PRIMARY KEY,
    public_id        uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id        bigint NOT NULL REFERENCES agency(id),
    adult_ref        text NOT NULL,
    given_name       text,
    family_name      text,
    dob_year         int,
    dob_month        int,
    dob_day          int,
    sex              text NOT NULL DEFAULT 'not_recorded' CHECK (sex IN ('male', 'female', 'not_known', 'not_recorded')),
    ethnicity_code   text,
    ethnicity_scheme text,
    ethnicity_status text NOT NULL DEFAULT 'not_recorded' CHECK (ethnicity_status IN ('recorded', 'refused', 'not_known', 'not_recorded')),
    version          int NOT NULL DEFAULT 0,
    UNIQUE (agency_id, adult_ref)
);

CREATE TABLE location (
    id            bigserial PRIMARY KEY,
    public_id     uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id     bigint NOT NULL REFERENCES agency(id),
    location_ref  text NOT NULL,
    kind          text NOT NULL,
    name          text,
    postcode      text,
    area_code     text,
    version       int NOT NULL DEFAULT 0,
    UNIQUE (agency_id, location_ref)
);

CREATE TABLE vehicle (
    id            bigserial PRIMARY KEY,
    public_id     uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id     bigint NOT NULL REFERENCES agency(id),
    vehicle_ref   text NOT NULL,
    registration  text,
    make          text,
    colour        text,
    version       int NOT NULL DEFAULT 0,
    UNIQUE (agency_id, vehicle_ref)
);

CREATE TABLE phone (
    id          bigserial PRIMARY KEY,
    public_id   uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id   bigint NOT NULL REFERENCES agency(id),
    phone_ref   text NOT NULL,
    number      text,
    version     int NOT NULL DEFAULT 0,
    UNIQUE (agency_id, phone_ref)
);

-- Typed association between any two entities. The ends are polymorphic, so kinds are constrained
-- here and existence is enforced by the service that writes them.
CREATE TABLE association (
    id                bigserial PRIMARY KEY,
    public_id         uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id         bigint NOT NULL REFERENCES agency(id),
    from_kind         text NOT NULL CHECK (from_kind IN ('person_record', 'adult', 'location', 'vehicle', 'phone', 'concern', 'episode')),
    from_id           bigint NOT NULL,
    to_kind           text NOT NULL CHECK (to_kind IN ('person_record', 'adult', 'location', 'vehicle', 'phone', 'concern', 'episode')),
    to_id             bigint NOT NULL,
    association_type  text NOT NULL,
    observed_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    version           int NOT NULL DEFAULT 0
);
CREATE INDEX association_from_idx ON association (from_kind, from_id);
CREATE INDEX association_to_idx ON association (to_kind, to_id);
