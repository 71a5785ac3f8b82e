-- A password set by an administrator (a new account, a reset) is one-time: the user must choose their own at the
-- next sign-in before they can do anything else (issue 11).
ALTER TABLE app_user ADD COLUMN password_must_change boolean NOT NULL DEFAULT false;
