// Package entitlement is the proactive service ("proactieve
// dienstverlening"): instead of asking citizens to apply and prove they
// qualify, the municipality finds who is entitled from the data it may use,
// grants the right by itself, and can say why for every outcome.
//
// # Words
//
//   - Fact ("gegeven"): a typed value about a person or a household (bool,
//     number, money, date, code) with its provenance ("herkomst"): source,
//     retrieval time and validity period. A missing fact, or one not valid on
//     the assessment date, is unknown, never false.
//   - Subject ("rechthebbende"): a person with their household's facts and
//     the other members' facts.
//   - Parameter: a value the council sets (an income ceiling, an age limit)
//     with dated versions, like OpenFisca's parameters. Periods may not
//     overlap or leave gaps; a date outside every period is an
//     *OutsidePeriodError, not a guess.
//   - Benefit ("recht", "voordeel"): a right, its Condition, its legal basis
//     ("rechtsgrond"), its GDPR processing purpose ("verwerkingsdoeleinde")
//     and its notice period ("opzegtermijn"). Exceptions override the
//     general rule in order, after Catala's default logic.
//   - Grant ("toekenning"), opt-out ("afstand"), revocation ("intrekking").
//
// # How it fits together
//
// A Policy (Go values or a JSON document, see ParsePolicy) is compiled once
// into a Ruleset: facts become fixed slots, parameters indices, literals
// encoded integers, and every name and type is checked, with errors naming
// the JSON path and line. Evaluate gives an Outcome (eligible, not eligible,
// unknown) with an Explanation tree that renders as Dutch or English text
// for the clerk (Result.Text), and in plain Dutch for the citizen
// (Result.Plain: "U krijgt … omdat …", amounts and dates the Belgian way,
// sources by name).
// Batch streams a population (iter.Seq) through parallel workers without
// allocating per subject and classifies each against the grants held:
// newly entitled, still entitled, no longer entitled, unknown (missing facts
// listed) or faulty. Service.Run applies that through a Store: it grants
// with an explanation snapshot, gives notice, ends, and never grants twice
// or past an opt-out, even when runs overlap; a run given an idempotency
// key (RunOptions.IdempotencyKey) may be retried and grants nobody twice,
// not even someone whose grant was revoked in between.
//
// A Store keeps data and holds no rule: both stores apply the package's
// CheckCreate and CheckUpdate under their lock or in their transaction,
// and store each change with its audit entry and events (GrantChange).
// A front office reads through the Service (Current, Grants, Held,
// OptOutOf, Audit), never through the store.
//
// Policy officers check rules with YAML case files (ParseCases, RunCases),
// in the manner of OpenFisca's YAML tests.
//
// A rule file is input like any other. ParsePolicy and ParsePolicyYAML
// take time and memory linear in its size, refuse nesting deeper than 256
// levels before parsing deeply (Compile refuses conditions deeper than
// 100), refuse a key given twice or spelt with other capitals, and a YAML
// alias inside the value it names; every error names the field and its
// line. Every date a rule, a fact or a run carries lies within
// calendar.MinYear and calendar.MaxYear, and every text passes the shared
// input rule, so the memory and PostgreSQL stores keep the same grants.
// Texts in reports and errors show a subject's ID masked, as it is often a
// national register number.
//
// The shipped GhentExample models Ghent's first three cases (UiTPAS
// kansentarief, the school and childcare invoice discount, the LEZ social
// measure). Its parameter values and decisions are EXAMPLES, not Ghent's.
package entitlement
