-- A list of documents shows their subject, never their body or their
-- attachments (a calendar file, a PDF in base64), which are most of a
-- document's size. They move to a column of their own, content, which
-- lists do not read: a recipient's list then sends and decodes a few
-- hundred bytes a document, not the whole letter. data keeps the rest of
-- the delivery, with an empty body and no attachments (what
-- delivery.Delivery.Summary gives); a delivery is read whole by putting
-- the two columns together. A claim writes neither.
ALTER TABLE delivery_deliveries ADD COLUMN content json;
UPDATE delivery_deliveries SET
    content = json_build_object('body', COALESCE(data->'document'->'body', '""'), 'attachments', data->'document'->'attachments'),
    data = jsonb_set(data::jsonb #- '{document,attachments}', '{document,body}', '""')::json
    WHERE data::jsonb ? 'document';
UPDATE delivery_deliveries SET content = '{"body": ""}' WHERE content IS NULL;
ALTER TABLE delivery_deliveries ALTER COLUMN content SET NOT NULL;
