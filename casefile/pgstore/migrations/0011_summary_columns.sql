-- A list of cases ("mijn meldingen") shows a summary of each
-- (casefile.Summary): it is read from columns, not from the whole
-- document, so a list sends and decodes a few dozen bytes a case instead
-- of its description, location and answers. Two of its fields were only
-- in the document; PostgreSQL keeps them beside it on every write.
ALTER TABLE casefile_cases
    ADD COLUMN subcategory text GENERATED ALWAYS AS (data ->> 'subcategory') STORED,
    ADD COLUMN requester_kind text GENERATED ALWAYS AS (data -> 'requester' ->> 'kind') STORED;
