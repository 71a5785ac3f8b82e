CREATE TABLE agency (
    id           bigserial PRIMARY KEY,
    public_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    code         text NOT NULL UNIQUE,
    agency_type  text NOT NULL CHECK (agency_type IN ('police_force', 'local_authority', 'care_provider', 'national')),
    name         text NOT NULL,
    area_code    text,
    active       boolean NOT NULL DEFAULT true,
    version      int NOT NULL DEFAULT 0
);
