// Package delivery sends documents to citizens and enterprises by the channel
// they chose ("Slimme digitale post via de Vlaamse Documentendienst"):
// digitally (Mijn Burgerprofiel, eBox, e-mail) or on paper, falls back to
// paper when a digital message is not read in time or cannot be delivered,
// and keeps proof of what was sent, when, and how it ended.
//
// The words of the domain:
//
//   - Party ("rechtspersoon of natuurlijke persoon"): a person identified by
//     INSZ ("rijksregisternummer") or an enterprise identified by KBO number
//     ("ondernemingsnummer").
//   - Preference ("voorkeur"): the party's preferred channel, per category
//     overrides, consents ("toestemming") with time and source, and contact
//     details. Every change is a new version; history is kept.
//   - Rule ("verzendregel"): per document category ("documentcategorie"), the
//     allowed channels, whether reading must be confirmed ("leesbevestiging"),
//     the fallback policy ("terugvalbeleid") and the retention period
//     ("bewaartermijn"). Rules are versioned.
//   - Decision ("routeringsbeslissing"): the pure outcome of [Route], recorded
//     with every delivery: the preference and consent used, the rule version,
//     the chosen channel, or an explicit "no channel" outcome.
//   - Delivery ("verzending"): one document on its way, with one Attempt per
//     channel tried. A document is sent to a channel under one idempotency
//     key, however often a crash or a lost lease makes a dispatcher send it
//     again, so a channel that honours the key delivers it once (the print
//     spool and the e-mail channel's Message-ID do).
//   - Evidence ("bewijs"): the append-only, hash-chained log per document.
//
// The [Dispatcher] works the durable queue held by the [Store]: it claims due
// deliveries under a lease, sends them through a [Channel] with an idempotency
// key derived from the document ID and channel, retries temporary failures
// with backoff, applies fallback policies and throttles paper to a daily
// limit. A dispatcher that dies between send and acknowledge loses its lease;
// the next one resends with the same idempotency key, which the channel
// recognises, so nothing is lost or sent twice. A dispatcher records a
// batch's results with one write (large batches in parts written side by
// side) and, after a full batch, claims the next one meanwhile; [Dispatcher.Run]
// gives that claim back when it stops.
//
// [Service.Submit] is safe to retry: the document ID is its idempotency key,
// so the same document again returns the first delivery and emits nothing,
// and another document under the ID is ErrConflict. A front office reads
// through the service too: [Service.Documents] lists a recipient's documents
// ("mijn post") or everyone's, newest first, with the sender's
// [Document.Metadata] (the dossier a document is about), and
// [Service.Preference] and [Service.PreferenceHistory] give the choices.
//
// A [Store] only keeps data. The rules it must apply atomically (a change
// keeps its version and continues the evidence chain, a claim's lease, a
// preference's next version, a rule's version, the daily paper limit) are
// this package's functions ([ApplyUpdate], [ApplyProgress], [ApplyClaim], [PaperSlotFree]
// ...), which the store calls under its lock or in its transaction;
// deliverytest.Run is the suite every store passes.
//
// Channels: [EmailChannel] (SMTP with STARTTLS, MIME attachments, our own
// Message-ID), [PrintBatch] (paper: a zip of letters plus a manifest with
// Belgian address blocks for the mail provider) and [SimulatedChannel] for
// Mijn Burgerprofiel and eBox, whose real platforms need agreements this SDK
// does not hold. [StatusCallback] passes status changes on to the sending
// application with retry and backoff.
//
// Reading is never detected with a tracking pixel: a read signal comes from
// the channel (a status callback) or from a pluggable [ReadSignal]; without
// one, "unconfirmed" means paper after the rule's number of days. Before
// falling back, the dispatcher also asks the channel's Status.
//
// Not (yet) here: purging deliveries after their retention period
// ([Delivery.RetainUntil] gives the date), and SMTP deduplication across
// process restarts (the stable Message-ID lets the receiving side do it).
package delivery
