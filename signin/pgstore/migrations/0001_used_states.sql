-- States of sign-in callbacks already handled, so a replayed callback is
-- refused on every instance. Rows are dropped once "until" has passed.
CREATE TABLE signin_used_states (
    state text PRIMARY KEY,
    until timestamptz NOT NULL
);
CREATE INDEX signin_used_states_until ON signin_used_states (until);
