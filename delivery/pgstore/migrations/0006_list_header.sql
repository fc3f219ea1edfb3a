-- A list of documents ("mijn post", a clerk's queue) shows a summary of
-- each (delivery.Delivery.Summary: the subject, the state and the
-- attempts), never the body or the attachments (a calendar file, a PDF in
-- base64), nor the rule, the routing decision or the recipient's contact.
-- The part of the summary that a dispatch never changes (the document
-- without its body and attachments, the ID, the creation time) is kept in
-- the column header, written when the delivery is stored and by Update;
-- the part a dispatch changes is the column progress (0005), which from
-- now on every write sets. A list reads those two, a few hundred bytes a
-- document, and a completion writes neither the document nor the header.
ALTER TABLE delivery_deliveries ADD COLUMN header json;
UPDATE delivery_deliveries SET
    header = json_build_object('id', data->'id', 'document', (data::jsonb->'document') - 'body' - 'attachments', 'created_at', data->'created_at'),
    progress = COALESCE(progress, json_strip_nulls(json_build_object('attempts', COALESCE(data->'attempts', '[]'), 'state', data->'state',
        'next_at', data->'next_at', 'evidence_seq', COALESCE(data->'evidence_seq', '0'), 'evidence_head', COALESCE(data->'evidence_head', '""'))));
ALTER TABLE delivery_deliveries ALTER COLUMN header SET NOT NULL, ALTER COLUMN progress SET NOT NULL;
