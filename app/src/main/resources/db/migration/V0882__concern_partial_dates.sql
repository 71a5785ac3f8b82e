-- When a concern arose, as far as the source knows it (issue 9): to the instant, a day, a month, a year, not known,
-- or not recorded (a blank in an imported file). raised_at keeps the instant and is empty when only part of the date
-- is known: nothing invents a day or a time. raised_from / raised_until (exclusive) are the bounds of what is known,
-- in UTC, for readers that filter by period: a concern known only as "March 2024" lies within [1 March, 1 April)
-- London time, and one whose date is not known has no bounds.
ALTER TABLE exploitation_concern
    ALTER COLUMN raised_at DROP NOT NULL,
    ADD COLUMN raised_precision text NOT NULL DEFAULT 'time'
        CHECK (raised_precision IN ('time', 'day', 'month', 'year', 'not_known', 'not_recorded')),
    ADD COLUMN raised_year  int CHECK (raised_year BETWEEN 1900 AND 2100),
    ADD COLUMN raised_month int CHECK (raised_month BETWEEN 1 AND 12),
    ADD COLUMN raised_day   int CHECK (raised_day BETWEEN 1 AND 31),
    ADD COLUMN raised_from  timestamptz,
    ADD COLUMN raised_until timestamptz;

-- Writers give either raised_at (the precision is then 'time' and the parts are its London date) or the precision
-- with the parts it has; the bounds follow.
CREATE FUNCTION concern_raised_bounds() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    start_day date;
BEGIN
    IF NEW.raised_at IS NOT NULL THEN
        NEW.raised_precision := 'time';
        NEW.raised_year := extract(year FROM NEW.raised_at AT TIME ZONE 'Europe/London');
        NEW.raised_month := extract(month FROM NEW.raised_at AT TIME ZONE 'Europe/London');
        NEW.raised_day := extract(day FROM NEW.raised_at AT TIME ZONE 'Europe/London');
        NEW.raised_from := NEW.raised_at;
        NEW.raised_until := NEW.raised_at + interval '1 microsecond';
        RETURN NEW;
    END IF;
    IF NEW.raised_precision = 'time' THEN
        RAISE EXCEPTION 'a concern raised at a time needs raised_at' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.raised_precision IN ('not_known', 'not_recorded') THEN
        NEW.raised_year := NULL;
        NEW.raised_month := NULL;
        NEW.raised_day := NULL;
        NEW.raised_from := NULL;
        NEW.raised_until := NULL;
        RETURN NEW;
    END IF;
    IF NEW.raised_year IS NULL
       OR (NEW.raised_precision IN ('day', 'month') AND NEW.raised_month IS NULL)
       OR (NEW.raised_precision = 'day' AND NEW.raised_day IS NULL) THEN
        RAISE EXCEPTION 'a concern dated to the % needs the date''s parts', NEW.raised_precision
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.raised_precision = 'year' THEN
        NEW.raised_month := NULL;
    END IF;
    IF NEW.raised_precision <> 'day' THEN
        NEW.raised_day := NULL;
    END IF;
    start_day := make_date(NEW.raised_year, coalesce(NEW.raised_month, 1), coalesce(NEW.raised_day, 1));
    NEW.raised_from := start_day::timestamp AT TIME ZONE 'Europe/London';
    NEW.raised_until := (start_day + CASE NEW.raised_precision WHEN 'day' THEN interval '1 day'
                                                               WHEN 'month' THEN interval '1 month'
                                                               ELSE interval '1 year' END)::timestamp
                        AT TIME ZONE 'Europe/London';
    RETURN NEW;
END
$$;

CREATE TRIGGER exploitation_concern_raised_bounds
    BEFORE INSERT OR UPDATE OF raised_at, raised_precision, raised_year, raised_month, raised_day
    ON exploitation_concern FOR EACH ROW EXECUTE FUNCTION concern_raised_bounds();

UPDATE exploitation_concern SET raised_at = raised_at;
CREATE INDEX exploitation_concern_raised_idx ON exploitation_concern (raised_from);
