-- A citizen's bookings are listed by start (the front office's "my
-- appointments"), and the channel quota reads the bookings of one slot.
DROP INDEX appointment_bookings_citizen;
CREATE INDEX appointment_bookings_citizen ON appointment_bookings (citizen_key, start_at);
CREATE INDEX appointment_bookings_slot ON appointment_bookings (location_id, start_at);
