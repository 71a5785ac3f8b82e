-- Sign-in throttling (issue 11): failed attempts counted per account name tried and per source address, each with a
-- lock that doubles at every successive lockout. One row per key; the name tried is kept only while it matters (rows
-- are forgotten a day after their last attempt and lock), the audit log keeps the history.
CREATE TABLE sign_in_throttle (
    kind         text        NOT NULL CHECK (kind IN ('account', 'source')),
    key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    failures     int         NOT NULL DEFAULT 0 CHECK (failures >= 0),
    window_start timestamptz,
    locked_until timestamptz,
    lockouts     int         NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
    last_attempt timestamptz NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX sign_in_throttle_last_attempt_idx ON sign_in_throttle (last_attempt);
