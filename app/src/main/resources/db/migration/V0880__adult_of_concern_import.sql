-- Adults of concern arrive by bulk import (issue 9): a re-imported file changes only what changed, so each row keeps
-- the hash of the content it was last imported with, and when it was written (a replay refuses to overwrite a newer
-- edit without confirmation). created_at came with retention (V0870).
ALTER TABLE adult_of_concern
    ADD COLUMN content_hash text,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();

-- The kind's runs and mapping profiles.
ALTER TABLE import_run DROP CONSTRAINT import_run_kind_check;
ALTER TABLE import_run ADD CONSTRAINT import_run_kind_check CHECK (kind IN ('person-records', 'missing-episodes',
    'concerns', 'adults-of-concern', 'ssda903-header', 'ssda903-episodes', 'ssda903-missing'));
ALTER TABLE import_mapping_profile DROP CONSTRAINT import_mapping_profile_kind_check;
ALTER TABLE import_mapping_profile ADD CONSTRAINT import_mapping_profile_kind_check
    CHECK (kind IN ('person-records', 'missing-episodes', 'concerns', 'adults-of-concern'));
