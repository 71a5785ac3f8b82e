-- Issue 14: every correction of a quarantined row keeps what it replaced (values as received, errors, who and when),
-- oldest first, so the row as it came in the file is never lost.
ALTER TABLE import_quarantine ADD COLUMN history jsonb NOT NULL DEFAULT '[]';
