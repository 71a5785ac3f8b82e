-- Data minimisation (issue 11): an idempotency record keeps the request's hash, the answer's status and the created
-- resource's address, never the answer's body (it held children's details), and expires (IdempotencyKeys.expire).
ALTER TABLE api_idempotency DROP COLUMN response_body;
CREATE INDEX api_idempotency_created_at ON api_idempotency (created_at);
