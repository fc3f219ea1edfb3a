-- The portal's register of the documents it sent through the delivery
-- package: which document went to which party, about which dossier.
CREATE TABLE portal_post_register (
    document_id uuid        PRIMARY KEY,
    party       text        NOT NULL,
    reference   text        NOT NULL,
    link        text        NOT NULL,
    sent_at     timestamptz NOT NULL
);

CREATE INDEX portal_post_register_party ON portal_post_register (party, sent_at DESC);
CREATE INDEX portal_post_register_sent ON portal_post_register (sent_at DESC);
