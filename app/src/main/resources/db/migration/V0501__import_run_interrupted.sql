-- An import left 'running' by a process that was killed is marked 'interrupted' at the next start (issue 7).
ALTER TABLE import_run DROP CONSTRAINT import_run_status_check;
ALTER TABLE import_run ADD CONSTRAINT import_run_status_check
    CHECK (status IN ('previewed', 'running', 'completed', 'failed', 'discarded', 'interrupted'));
