-- Creates through the API carry an Idempotency-Key: a retried request replays the first answer instead of
-- creating a second record.
CREATE TABLE api_idempotency (
    username         text NOT NULL,
    idempotency_key  text NOT NULL,
    route            text NOT NULL,
    request_hash     text NOT NULL,
    response_status  int,
    response_body    text,
    location         text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, idempotency_key)
);
