-- SSDA903 files go through the staged import pipeline (issue 13): each file is an import run of its own kind,
-- its refused rows in import_quarantine (correct and replay), so SSDA903's own quarantine goes. Its rows were
-- copies of rows of files the authority holds; importing such a file again quarantines them anew.
ALTER TABLE import_run DROP CONSTRAINT import_run_kind_check;
ALTER TABLE import_run ADD CONSTRAINT import_run_kind_check CHECK (kind IN ('person-records', 'missing-episodes',
    'concerns', 'ssda903-header', 'ssda903-episodes', 'ssda903-missing'));
-- What a table needs to replay a corrected row of the run (SSDA903: collection year and the file's date format).
ALTER TABLE import_run ADD COLUMN parameters text;

DROP TABLE ssda903_quarantine;

-- The DfE rule failures name the import run of the file whose line they cite.
ALTER TABLE ssda903_rule_failure ADD COLUMN import_run_id bigint REFERENCES import_run(id) ON DELETE SET NULL;
