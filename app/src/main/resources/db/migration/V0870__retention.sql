-- Retention (issue 11 part 5, docs/operations.md "Retention and erasure"): review dates per record type are computed
-- from the data by retention.RetentionDue; what is kept here is only an administrator's decision about a record that
-- was due ("reviewed, keep until D", with the reason) and the daily job's run per day. An erasure leaves no row here:
-- the audit keeps that it happened (who, when, why, which record), never what the record held.

CREATE TABLE retention_review (
    id           bigserial PRIMARY KEY,
    record_type  text NOT NULL CHECK (record_type IN ('person_record', 'missing_episode', 'concern', 'import_run', 'adult')),
    record_id    bigint NOT NULL,
    keep_until   date NOT NULL,
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    reviewed_by  text NOT NULL,
    reviewed_at  timestamptz NOT NULL
);
CREATE INDEX retention_review_record_idx ON retention_review (record_type, record_id);

-- One row per London day the job ran: claimed in the job's transaction, so a restart, a second process or a run that
-- died part way never runs the day twice nor skips it (a rolled-back claim is taken again at the next start).
CREATE TABLE retention_job_run (
    run_date    date PRIMARY KEY,
    ran_at      timestamptz NOT NULL,
    due_counts  jsonb NOT NULL
);

-- Adults of concern had no timestamp of their own: their last activity is the later of this and their newest link.
-- Adults held before this migration count from the day it ran.
ALTER TABLE adult_of_concern ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

-- A date n years on. 29 February lands on 1 March in a common year (the later day: a record is never due early),
-- where PostgreSQL's date + interval would give 28 February; 28 February + n years never moves, hence (d - 1) ... + 1.
CREATE FUNCTION retention_add_years(d date, n int) RETURNS date LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN extract(month FROM d) = 2 AND extract(day FROM d) = 29
                THEN ((d - 1) + make_interval(years => n))::date + 1
                ELSE (d + make_interval(years => n))::date END
$$;

-- The n-th birthday of a possibly partial date of birth: the latest day it can be (the month's last day when the day
-- is not recorded, 31 December when only the year is), so an unrecorded day never makes a record due early. A day
-- past the month's end (31 February: the columns' checks allow it) counts as the month's last day, never an error
-- that would stop the whole list.
CREATE FUNCTION retention_birthday(y int, m int, d int, n int) RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN y IS NULL THEN NULL
        WHEN m IS NULL THEN retention_add_years(make_date(y, 12, 31), n)
        ELSE retention_add_years(least(make_date(y, m, 1) + (coalesce(d, 31) - 1),
                                       (make_date(y, m, 1) + interval '1 month' - interval '1 day')::date), n)
    END
$$;
