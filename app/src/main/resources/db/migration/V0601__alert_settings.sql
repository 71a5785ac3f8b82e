-- Rule settings as data (issue 8, item 6): every change an administrator makes is a new version, never an update,
-- so which thresholds raised an alert (alert.settings_version) stays answerable. Version 0 is the configuration
-- (sightline.alerts.*) and is not stored.
CREATE TABLE alert_settings (
    version     int PRIMARY KEY CHECK (version > 0),
    settings    jsonb NOT NULL,
    note        text NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
    changed_by  text NOT NULL,
    changed_at  timestamptz NOT NULL
);
