-- Sightline's own national agency: administrators, and shared intelligence (vehicles, phones) not owned by one force.
INSERT INTO agency (code, agency_type, name) VALUES ('SIGHTLINE', 'national', 'Sightline national');

CREATE INDEX adult_of_concern_ref_idx ON adult_of_concern (adult_ref);
CREATE INDEX location_ref_idx ON location (location_ref);
CREATE INDEX vehicle_ref_idx ON vehicle (vehicle_ref);
CREATE INDEX phone_ref_idx ON phone (phone_ref);
