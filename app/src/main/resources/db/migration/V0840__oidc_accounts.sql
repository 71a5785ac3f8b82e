-- Accounts signed in through an OpenID Connect provider (issue 11). Local accounts keep auth_source 'local'; an
-- OIDC account is 'oidc:<registration id>' with the provider's subject, and has no usable password.
ALTER TABLE app_user ADD COLUMN auth_source text NOT NULL DEFAULT 'local';
ALTER TABLE app_user ADD COLUMN oidc_subject text;
ALTER TABLE app_user ADD CONSTRAINT app_user_oidc_subject_unique UNIQUE (auth_source, oidc_subject);
ALTER TABLE app_user ADD CONSTRAINT app_user_oidc_has_subject
    CHECK ((auth_source = 'local') = (oidc_subject IS NULL));
