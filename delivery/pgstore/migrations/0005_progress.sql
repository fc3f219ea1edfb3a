-- A batch's completion (UpdateMany) writes what a dispatch changes, the
-- progress (attempts, state, next time due, evidence head), into its own
-- column, and leaves the document, which a dispatch never changes, as it
-- was: the dispatcher encodes and sends a third of the bytes, and
-- PostgreSQL parses a third. When progress is set it is authoritative and
-- the same fields in data may be stale; Update, which may change anything,
-- writes the whole delivery into data and sets progress to NULL (since
-- 0006 it writes progress too, so that lists read progress alone).
--
-- due_at moves behind it, to the end of the row: PostgreSQL logs an update
-- that stays on its page as the bytes between the common prefix and suffix
-- of the two row versions (see 0004), and with every column a completion
-- writes (lease_id, lease_until, version, progress, due_at) at the end,
-- that is the progress and a few dozen bytes, not the document too. A
-- claim's change (lease_id to version) stays one short stretch.
ALTER TABLE delivery_deliveries ADD COLUMN progress json, ADD COLUMN due_tail timestamptz;
UPDATE delivery_deliveries SET due_tail = due_at;
ALTER TABLE delivery_deliveries DROP COLUMN due_at;
ALTER TABLE delivery_deliveries RENAME COLUMN due_tail TO due_at;
CREATE INDEX delivery_deliveries_due ON delivery_deliveries (due_at) WHERE due_at IS NOT NULL;
