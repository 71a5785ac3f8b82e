-- The roles whose local accounts must use an authenticator app (issue 11): none until an administrator chooses.
CREATE TABLE second_factor_required_role (
    role       text        PRIMARY KEY
        CHECK (role IN ('POLICE_OFFICER', 'SOCIAL_WORKER', 'CARE_STAFF', 'ANALYST', 'SUPERVISOR', 'ADMIN')),
    chosen_by  text        NOT NULL,
    chosen_at  timestamptz NOT NULL
);
