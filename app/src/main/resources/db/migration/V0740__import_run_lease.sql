-- Issue 14: a running import holds a lease its process renews (heartbeat); a run whose lease has expired lost
-- its owner and is swept to 'interrupted'. The lines of every committed batch are kept so an interrupted run can
-- resume after them. Runs may wait in a queue ('queued') for one of the bounded import slots. Uploads expire.
ALTER TABLE import_run ADD COLUMN lease_owner text;
ALTER TABLE import_run ADD COLUMN lease_expires_at timestamptz;
-- The file lines whose rows are committed (imported, updated, unchanged or quarantined), batch by batch.
ALTER TABLE import_run ADD COLUMN committed_lines int8multirange NOT NULL DEFAULT '{}';
ALTER TABLE import_run ADD COLUMN queued_at timestamptz;
ALTER TABLE import_run DROP CONSTRAINT import_run_status_check;
ALTER TABLE import_run ADD CONSTRAINT import_run_status_check
    CHECK (status IN ('previewed', 'queued', 'running', 'completed', 'failed', 'discarded', 'interrupted'));
-- Runs left running before leases existed have no owner: the sweeper treats them as expired.
CREATE INDEX import_run_active_idx ON import_run (status, lease_expires_at) WHERE status IN ('queued', 'running');

ALTER TABLE import_upload ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
