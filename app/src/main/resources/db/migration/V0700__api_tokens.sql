-- Personal API tokens (issue 14): the API without a bcrypt per request. Only a keyed hash of the token is kept; the
-- token itself is shown once, when it is created. A token acts as its user, within its scope, until it expires or
-- is revoked.
CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    public_id    uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    user_id      bigint      NOT NULL REFERENCES app_user (id),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   text        NOT NULL UNIQUE,
    hint         text        NOT NULL,
    scope        text        NOT NULL CHECK (scope IN ('read', 'read_write')),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    revoked_by   text,
    last_used_at timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX api_token_user_idx ON api_token (user_id, created_at DESC);
