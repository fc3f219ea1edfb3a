CREATE TABLE appointment_services (
    id  text PRIMARY KEY,
    doc jsonb NOT NULL
);

CREATE TABLE appointment_locations (
    id  text PRIMARY KEY,
    doc jsonb NOT NULL
);

-- One row per counter: bookings lock it FOR UPDATE, which serialises the
-- capacity check of everything booked on that counter.
CREATE TABLE appointment_counters (
    id          text PRIMARY KEY,
    location_id text NOT NULL
);

CREATE TABLE appointment_bookings (
    id              uuid PRIMARY KEY,
    reference       text NOT NULL UNIQUE,
    idempotency_key text UNIQUE,
    citizen_key     text NOT NULL,
    service_id      text NOT NULL,
    location_id     text NOT NULL,
    counter_id      text NOT NULL,
    channel         text NOT NULL,
    start_at        timestamptz NOT NULL,
    occupied_from   timestamptz NOT NULL,
    occupied_to     timestamptz NOT NULL,
    status          text NOT NULL,
    hold_until      timestamptz,
    version         integer NOT NULL,
    doc             jsonb NOT NULL,
    CHECK (occupied_from < occupied_to)
);

CREATE INDEX appointment_bookings_counter ON appointment_bookings (counter_id, occupied_from);
CREATE INDEX appointment_bookings_location ON appointment_bookings (location_id, occupied_from);
CREATE INDEX appointment_bookings_citizen ON appointment_bookings (citizen_key, service_id);

CREATE TABLE appointment_waiters (
    id              uuid PRIMARY KEY,
    seq             bigserial NOT NULL,
    service_id      text NOT NULL,
    location_id     text NOT NULL,
    offered_booking uuid,
    doc             jsonb NOT NULL
);

CREATE INDEX appointment_waiters_queue ON appointment_waiters (service_id, location_id, seq);
