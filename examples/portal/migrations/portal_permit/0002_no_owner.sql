-- Whose permit it is, the permit package knows (its applicant, indexed):
-- the portal no longer keeps its own list of a person's permits.
ALTER TABLE portal_permit_records DROP COLUMN owner;
