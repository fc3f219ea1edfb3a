// Package session keeps signed-in visitors' sessions (sessies) on the
// server, in a Store: in memory for one process, or in PostgreSQL
// (session/pgstore) so that sessions survive a restart and several
// instances behind a load balancer share them.
//
// A session is created at sign-in only; an anonymous visitor has none and
// costs no write. The browser holds an opaque token of 256 random bits in
// an HttpOnly, SameSite=Lax cookie; the store keeps only the token's
// SHA-256 hash, so a leaked database or log line cannot be replayed as a
// cookie.
//
// A Manager applies the rules:
//
//   - an absolute timeout (e.g. 8 hours after sign-in) and an idle timeout
//     (e.g. 30 minutes without a request), whichever comes first;
//   - the last-seen time is written at most once a minute (TouchEvery), not
//     on every request;
//   - Renew issues a new token and deletes the old one in one step, at
//     sign-in and at every capacity switch (burger ↔ onderneming), against
//     session fixation; it keeps the absolute deadline of the sign-in;
//   - Destroy signs out here; DestroySubject signs a person out everywhere
//     ("afmelden op alle toestellen");
//   - Purge deletes expired sessions; call it periodically.
//
// The session's Data is the signed-in visitor: subject, name, national
// register number (pii.INSZ, masked in logs), the enterprise when signed
// in for one, the clerk flag, the ID token for RP-initiated logout and the
// CSRF token of the session's forms.
//
// The package does not use github.com/alexedwards/scs: its PostgreSQL
// store keys rows by the token itself (not a hash), works through
// database/sql rather than pgx, and it has no way to find a person's
// sessions for "sign out everywhere", which the portal needs.
package session
