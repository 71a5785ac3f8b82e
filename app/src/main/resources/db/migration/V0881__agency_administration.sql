-- Agency administration (issue 9): administrators create agencies of every kind that records children, rename them
-- and close them. A closed agency keeps its records and accounts' history but can no longer be chosen for new
-- accounts or imports (active = false, with the day it closed).
ALTER TABLE agency DROP CONSTRAINT agency_agency_type_check;
ALTER TABLE agency ADD CONSTRAINT agency_agency_type_check
    CHECK (agency_type IN ('police_force', 'local_authority', 'care_provider', 'health', 'education', 'other', 'national'));

ALTER TABLE agency
    ADD COLUMN ofsted_urn  text CHECK (ofsted_urn ~ '^[0-9]{6,7}$'),
    ADD COLUMN closed_on   date,
    -- Set when an administrator names the agency: the reference data loaded at start no longer renames it.
    ADD COLUMN name_locked boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT agency_urn_for_providers CHECK (ofsted_urn IS NULL OR agency_type = 'care_provider'),
    ADD CONSTRAINT agency_closed_inactive CHECK (closed_on IS NULL OR NOT active);

-- An Ofsted URN names one provider: unique among the agencies still open (a closed provider's URN may be taken over).
CREATE UNIQUE INDEX agency_open_ofsted_urn_idx ON agency (ofsted_urn) WHERE active AND ofsted_urn IS NOT NULL;
