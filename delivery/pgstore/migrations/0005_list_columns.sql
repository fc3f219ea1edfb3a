-- A list of documents ("mijn post", a clerk's queue) shows a summary of
-- each (delivery.Delivery.Summary: the subject, the state and the
-- attempts), never the body or the attachments (a calendar file, a PDF in
-- base64), nor the rule, the routing decision or the recipient's contact.
-- The summary is kept in a column of its own, written with the document,
-- so a list reads and decodes a few hundred bytes a document instead of
-- all of it. A claim writes neither.
ALTER TABLE delivery_deliveries ADD COLUMN summary json;
UPDATE delivery_deliveries SET
    summary = json_strip_nulls(json_build_object('id', data->'id', 'document', (data::jsonb->'document') - 'body' - 'attachments',
        'state', data->'state', 'attempts', data->'attempts', 'next_at', data->'next_at', 'created_at', data->'created_at'));
ALTER TABLE delivery_deliveries ALTER COLUMN summary SET NOT NULL;
