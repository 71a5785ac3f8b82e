-- Optional TOTP second factor for local accounts (issue 11). The shared secret is kept only encrypted (AES-256-GCM
-- under a key derived from the installation's audit key, which lives outside the database, bound to the account), so
-- the database alone cannot produce codes. enabled_at is null while the user is enrolling (scanned, not yet
-- confirmed with a code). last_used_step is the RFC 6238 time step of the last code accepted: a code of that step or
-- an earlier one is refused, so a code cannot be used twice.
CREATE TABLE user_second_factor (
    user_id          bigint      PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    secret_encrypted bytea       NOT NULL,
    created_at       timestamptz NOT NULL,
    enabled_at       timestamptz,
    last_used_step   bigint
);

-- One-time recovery codes, shown once when the second factor is switched on: only a keyed hash is kept.
CREATE TABLE user_recovery_code (
    id        bigserial   PRIMARY KEY,
    user_id   bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    code_hash text        NOT NULL,
    used_at   timestamptz,
    UNIQUE (user_id, code_hash)
);
