ALTER TABLE identity_review ADD COLUMN evidence text;
CREATE INDEX identity_review_open_idx ON identity_review (status) WHERE status = 'open';
