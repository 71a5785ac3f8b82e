-- Locations, vehicles, phones and associations arrive by bulk import (issue 9), like the other kinds: a re-imported
-- file changes only what changed, so each row keeps the hash of the content it was last imported with and when it
-- was written (a replay refuses to overwrite a newer edit without confirmation).
ALTER TABLE location
    ADD COLUMN content_hash text,
    ADD COLUMN created_at   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();
ALTER TABLE vehicle
    ADD COLUMN content_hash text,
    ADD COLUMN created_at   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();
ALTER TABLE phone
    ADD COLUMN content_hash text,
    ADD COLUMN created_at   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();

-- An association has no reference of its own in a file: an imported one is known by the whole link (both ends by
-- the agency's references, the type and when it was observed), so importing the same file twice adds nothing.
-- Associations recorded on pages have none.
ALTER TABLE association
    ADD COLUMN link_ref     text,
    ADD COLUMN content_hash text,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX association_link_ref_idx ON association (agency_id, link_ref) WHERE link_ref IS NOT NULL;

-- The kinds' runs and mapping profiles.
ALTER TABLE import_run DROP CONSTRAINT import_run_kind_check;
ALTER TABLE import_run ADD CONSTRAINT import_run_kind_check CHECK (kind IN ('person-records', 'missing-episodes',
    'concerns', 'adults-of-concern', 'locations', 'vehicles', 'phones', 'associations', 'ssda903-header',
    'ssda903-episodes', 'ssda903-missing'));
ALTER TABLE import_mapping_profile DROP CONSTRAINT import_mapping_profile_kind_check;
ALTER TABLE import_mapping_profile ADD CONSTRAINT import_mapping_profile_kind_check
    CHECK (kind IN ('person-records', 'missing-episodes', 'concerns', 'adults-of-concern', 'locations', 'vehicles',
                    'phones', 'associations'));
