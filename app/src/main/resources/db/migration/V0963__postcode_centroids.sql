-- Where postcodes are, for the hotspot map (issue 10): reference data an operator loads (`centroids-import`, e.g. the
-- ONS Postcode Directory), and the generator's invented districts in the demo. Keyed as places key their postcodes
-- (network_postcode_norm): a full postcode for its own centroid, or an outward code ("LS1") for a district's, which
-- a place uses when its full postcode is not known here. Bounds are the United Kingdom's: a child may be found
-- beyond England and Wales.
CREATE TABLE postcode_centroid (
    code       text PRIMARY KEY CHECK (code = network_postcode_norm(code)),
    latitude   double precision NOT NULL CHECK (latitude BETWEEN 49.8 AND 61.0),
    longitude  double precision NOT NULL CHECK (longitude BETWEEN -8.7 AND 2.0),
    source     text NOT NULL CHECK (length(btrim(source)) > 0),
    loaded_at  timestamptz NOT NULL DEFAULT now()
);
