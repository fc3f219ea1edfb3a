-- A claim leases a delivery in columns and leaves its document alone, so
-- claiming a batch rewrites no JSON. The columns lease_id, lease_until and
-- version are authoritative; the same fields in data may be stale and are
-- replaced by the columns whenever a delivery is read.
ALTER TABLE delivery_deliveries ADD COLUMN lease_id uuid, ADD COLUMN lease_until timestamptz;
UPDATE delivery_deliveries
    SET lease_id = NULLIF(data->>'lease_id', '00000000-0000-0000-0000-000000000000')::uuid,
        lease_until = (data->>'lease_until')::timestamptz
    WHERE data->>'lease_until' IS NOT NULL;
-- The documents are written whole and read whole, never queried inside:
-- json keeps the text as sent, sparing PostgreSQL the conversion to jsonb
-- on every write and back to text on every read.
ALTER TABLE delivery_deliveries ALTER COLUMN data TYPE json;
ALTER TABLE delivery_evidence ALTER COLUMN data TYPE json;
