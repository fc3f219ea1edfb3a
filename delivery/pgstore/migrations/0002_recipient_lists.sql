-- A front office lists a recipient's documents, newest first: the party
-- beside each delivery, and the order of enqueueing as a number (rows
-- stored before this migration are numbered in no particular order).
ALTER TABLE delivery_deliveries ADD COLUMN party text;
UPDATE delivery_deliveries
    SET party = (data->'document'->'party'->>'kind') || ':' || (data->'document'->'party'->>'id');
ALTER TABLE delivery_deliveries ALTER COLUMN party SET NOT NULL;
ALTER TABLE delivery_deliveries ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX delivery_deliveries_seq ON delivery_deliveries (seq);
CREATE INDEX delivery_deliveries_party ON delivery_deliveries (party, seq);
