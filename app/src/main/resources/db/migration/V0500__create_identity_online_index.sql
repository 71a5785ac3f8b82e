-- Online identity resolution (issue 7): the trained engine model, and the ordered log of person records whose
-- details or identity changed, from which every process's in-memory index catches up.

-- The Fellegi-Sunter parameters (m, u per comparison level; prior) of the latest batch run (relink). The online
-- index scores with the newest row for its profile; term frequencies are recounted from the records held.
CREATE TABLE identity_model (
    id          bigserial PRIMARY KEY,
    profile     text NOT NULL,
    trained_on  int NOT NULL,
    model       jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identity_model_profile_idx ON identity_model (profile, id DESC);

-- Written only while holding the resolution advisory lock, which is held until commit: committed ids therefore
-- always form a prefix, and an index that has applied every id up to N has missed nothing before N.
-- rebuild = a batch relink replaced identities and model: indexes rebuild from scratch.
CREATE TABLE identity_index_change (
    id                bigserial PRIMARY KEY,
    person_record_id  bigint,
    rebuild           boolean NOT NULL DEFAULT false,
    changed_at        timestamptz NOT NULL DEFAULT now()
);
