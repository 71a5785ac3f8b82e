-- SSDA903 files uploaded on the web or API and previewed, kept until the user imports or cancels them, or until
-- they expire (sightline.imports.upload-retention, as every other kept upload). Nothing of them is read into the
-- shared model until the import is confirmed.
CREATE TABLE ssda903_preview (
    id               bigserial PRIMARY KEY,
    public_id        uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    agency_id        bigint NOT NULL REFERENCES agency(id),
    collection_year  int NOT NULL,
    created_by       text NOT NULL,
    stored_at        timestamptz NOT NULL,
    header           bytea,
    episodes         bytea,
    missing          bytea,
    CHECK (header IS NOT NULL OR episodes IS NOT NULL OR missing IS NOT NULL)
);
CREATE INDEX ssda903_preview_stored_idx ON ssda903_preview (stored_at);
