-- What a dispatch changes in a delivery moves out of delivery_deliveries
-- into a narrow table beside it, delivery_queue, one row per delivery
-- with the same id: the version, the lease (lease_id, lease_until), the
-- progress (0005) and the time due (due_at, indexed). delivery_deliveries
-- keeps what a dispatch never changes: the document (data), the header
-- (0006), the party and the order of enqueueing (seq), with their indexes.
--
-- A completion changes due_at, an indexed column, so PostgreSQL writes a
-- new version of the row and an entry in each of the table's indexes:
-- with the queue apart, that is a row of a few hundred bytes and an entry
-- in the primary key (due_at is NULL once a delivery is done, so none in
-- the partial index on due_at), where in delivery_deliveries it was the
-- whole document's row and entries in the primary key and the indexes on
-- seq and party. A claim updates the queue's row alone (heap-only, as in
-- 0004) and reads the document beside it.
--
-- The columns a claim writes (version, lease_id, lease_until) follow id,
-- then due_at, and the progress comes last, so that a claim's change is
-- logged as one short stretch of the row (see 0004). The progress must be
-- last: a claim fills the lease columns (NULL before), which moves the
-- columns after them by 24 bytes, and a fixed-width column after the
-- progress would then be padded differently, so that the stretch logged
-- reached to it through the whole progress. Pages are filled to half for
-- the same reason as delivery_deliveries' were: a claim's update of every
-- row of a page finds room on it.
--
-- Every write of a delivery writes or locks its queue row before anything
-- else of that delivery, and the queue row is never deleted.
-- delivery_deliveries keeps its fillfactor (0004): Update, which a status
-- callback calls, rewrites the document and the header, and finds room on
-- the page for a heap-only update.
CREATE TABLE delivery_queue (
    id          uuid        PRIMARY KEY,
    version     int         NOT NULL,
    lease_id    uuid,
    lease_until timestamptz,
    due_at      timestamptz,
    progress    json        NOT NULL
) WITH (fillfactor = 50);
INSERT INTO delivery_queue (id, version, lease_id, lease_until, due_at, progress)
    SELECT id, version, lease_id, lease_until, due_at, progress FROM delivery_deliveries;
CREATE INDEX delivery_queue_due ON delivery_queue (due_at) WHERE due_at IS NOT NULL;
ALTER TABLE delivery_deliveries DROP COLUMN version, DROP COLUMN lease_id, DROP COLUMN lease_until,
    DROP COLUMN progress, DROP COLUMN due_at;
