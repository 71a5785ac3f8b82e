-- The digest of the reference CSVs last loaded (reference.ReferenceDataLoader). A start whose shipped files match it
-- skips the ~300 upserts: they were a tenth of a small import's time and bumped the agency version at every start.
CREATE TABLE reference_data_loaded (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    digest    text NOT NULL,
    loaded_at timestamptz NOT NULL
);
