-- Append-only, hash-chained audit log. Each entry's hash covers its content and the previous hash,
-- so an edited or deleted row breaks the chain; `verify-audit` walks it.
CREATE TABLE audit_event (
    id              bigserial PRIMARY KEY,
    occurred_at     timestamptz NOT NULL,
    actor           text NOT NULL,
    actor_agency    text,
    action          text NOT NULL,
    subject_type    text NOT NULL,
    subject_id      text,
    reason          text,
    correlation_id  text,
    details         text,
    prev_hash       text NOT NULL,
    hash            text NOT NULL
);

CREATE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
