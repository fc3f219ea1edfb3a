-- Nearby duplicates: the point of a case, copied from its document by
-- PostgreSQL itself (generated columns, so no write path changes), and a
-- btree index over the open, unmerged cases with a point. A search is a
-- bounding box on (lat, lon) within a municipality and category, then the
-- exact great-circle distance on the few rows inside the box. (Plain
-- btree: PostGIS is not available, and cube/earthdistance are contrib
-- extensions a managed server may not offer.)
ALTER TABLE casefile_cases
    ADD COLUMN lat double precision GENERATED ALWAYS AS ((data -> 'location' -> 'point' ->> 'lat')::double precision) STORED,
    ADD COLUMN lon double precision GENERATED ALWAYS AS ((data -> 'location' -> 'point' ->> 'lon')::double precision) STORED;
CREATE INDEX casefile_cases_nearby ON casefile_cases (municipality, category, lat, lon)
    WHERE NOT closed AND merged_into IS NULL AND lat IS NOT NULL;
