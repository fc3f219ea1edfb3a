// Package assistant is the virtual assistant ("de Virtuele Assistent") of
// the SDK: it answers citizens' questions from the municipality's own
// product catalogue, shows a signed-in person where their dossiers stand,
// offers appointment slots, drafts a report ("melding") and hands over to
// a person.
//
// The words of the domain:
//
//   - An Entry is one product or service of the catalogue ("product",
//     "dienst", "instantie"), shaped like the Flemish IPDC/LPDC catalogue
//     and OSLO's Public Service: title, description, conditions
//     ("voorwaarden"), procedure, costs ("kosten"), exceptions
//     ("uitzonderingen"), keywords ("trefwoorden"), themes, audiences
//     ("doelgroepen"), type, URL and validity. LoadCatalogue reads the
//     plain JSON or YAML form; LoadLDES reads IPDC's Linked Data Event
//     Stream pages, keeping the latest snapshot per product (isVersionOf,
//     generatedAtTime) and dropping archived or deleted ones.
//   - A Retriever finds the entries that answer a question. The default,
//     Index, is BM25F offline with Dutch analysis: accent folding, stop
//     words, the Snowball Dutch stemmer, compound splitting against the
//     catalogue's own vocabulary ("parkeervergunning" → "parkeer" +
//     "vergunning"), diminutives, typo tolerance, keywords weighted as the
//     title, an English–Dutch glossary, and Flemish spoken forms ("nen
//     boom omdoen", "kunde gij", "kinders"). It also decides when a
//     question lies outside the catalogue: too little of it covered by
//     the best entry, where a word the catalogue does not know (or the
//     unknown modifier of a compound whose head it knows) weighs as the
//     meaning-carrying word it usually is; a subject no municipality
//     handles (the weather, a diagnosis, income tax, child benefit, car
//     inspection, banks, energy suppliers, public transport, schools),
//     unless the entry names it; another Belgian municipality or
//     deelgemeente, by any of its names, unless the entry names it or it
//     is the municipality's own (Options.Home); or another language.
//     Options{Plain: true} is plain BM25, the baseline of the evaluation.
//   - Languages: Dutch first, English too. A question in any other
//     language, French included (one French function word with nothing
//     Dutch or English is enough), is refused the same way, with one
//     sentence in Dutch and English that offers a member of staff: the
//     catalogue is in Dutch and a partial French glossary would answer
//     some French questions and silently misread others.
//   - An Intent is what a message asks for: information, report a
//     problem, where is my dossier, book an appointment, talk to a person,
//     or out of scope (refused, with a person offered).
//   - A Conversation ("gesprek") is bounded (MaxTurns), redacted (Redact
//     masks national register numbers, IBANs, e-mail addresses and phone
//     numbers) and expires (Config.TTL). It never holds who the citizen is.
//   - Outcome statistics keep only the intent, the entry, and whether the
//     question was resolved or handed over.
//
// The portal implements the small interfaces the assistant needs:
// Dossiers (only for the signed-in Person, never by a reference alone),
// Appointments, and Handover (a question case with the redacted
// transcript; LiveChatHandover puts a live chat in front of it with a
// queue timeout that falls back to the case). A Generator (a language
// model) is optional: its draft is used only when it cites retrieved
// entries and nothing else; otherwise the answer is the best section of
// the best entry with its link.
//
// The pieces: Service (the use cases), MemStore (in memory),
// assistant/pgstore (PostgreSQL, events through the outbox),
// assistant/assistanttest (the conformance suite both stores pass) and
// assistant/demo (the catalogue of the demo municipality Demogem).
//
// A minimal setup:
//
//	svc, err := assistant.NewService(assistant.Config{Store: assistant.NewMemStore(sink)})
//	entries, err := assistant.LoadCatalogue(demo.CatalogueYAML())
//	err = svc.Import(ctx, entries)
//	reply, err := svc.Ask(ctx, assistant.Question{Text: "wat kost een identiteitskaart"})
package assistant
