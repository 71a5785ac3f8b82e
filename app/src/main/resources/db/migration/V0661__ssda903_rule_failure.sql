-- The DfE rules the rows of an authority's latest SSDA903 import for a year break, as sent: reported, not
-- blocking (a refused row is in ssda903_quarantine instead). Line numbers are those of the imported file.
CREATE TABLE ssda903_rule_failure (
    id               bigserial PRIMARY KEY,
    agency_id        bigint NOT NULL REFERENCES agency(id),
    collection_year  int NOT NULL,
    rule_code        text NOT NULL,
    file_kind        text NOT NULL,
    line_number      int NOT NULL,
    child            text,
    field            text,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ssda903_rule_failure_agency_year_idx ON ssda903_rule_failure (agency_id, collection_year);
