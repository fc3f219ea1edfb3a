-- A claim leases a delivery without touching an indexed column: it leaves
-- due_at alone and skips the rows whose lease still runs, so PostgreSQL can
-- make it a HOT update (no new index entries) when the new row version fits
-- on its page. Pages are therefore filled to half only (fillfactor 50), so
-- that every row of a page can be claimed on it: a document of 1.5 kB
-- shares a page with one other, not four. At 70%, a third of the claims of
-- such rows found no room, and the claim cost 825 bytes of WAL a delivery
-- against 190. The price is disk: small rows are stored at half the
-- density. Rows over 2 kB are compressed or moved out of line (TOAST)
-- whatever the fillfactor.
--
-- The version moves behind the document: PostgreSQL logs an update that
-- stays on its page as the bytes between the common prefix and suffix of
-- the two row versions, and with every column a claim writes (version,
-- lease_id, lease_until) at the end of the row, that is a few dozen bytes,
-- not the whole document.
ALTER TABLE delivery_deliveries SET (fillfactor = 50);
ALTER TABLE delivery_deliveries ADD COLUMN version_tail int;
UPDATE delivery_deliveries SET version_tail = version;
ALTER TABLE delivery_deliveries DROP COLUMN version;
ALTER TABLE delivery_deliveries RENAME COLUMN version_tail TO version;
ALTER TABLE delivery_deliveries ALTER COLUMN version SET NOT NULL;
