package delivery

import (
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// The functions of this file are the rules a Store applies under its lock
// or in its transaction. They live here, once, so that every store (the
// memory store, pgstore, a municipality's own) keeps the same promises:
// a store reads, calls the rule, and writes what it returns.

// ApplyCreate readies a new delivery for storing with the change that
// created it: version 1, and evidence that starts the document's chain.
func ApplyCreate(d *Delivery, c Change) error {
	if err := checkEvidence(d.ID, 0, d, c.Evidence); err != nil {
		return err
	}
	d.Version = 1
	return nil
}

// ApplyUpdate runs fn on d, a fresh copy of the stored delivery, and checks
// what it did: the delivery keeps its identity and version, and its evidence
// continues the chain without a gap. It then sets the next version. An
// error (from fn or a check) means the store writes nothing.
func ApplyUpdate(d *Delivery, fn func(*Delivery) (Change, error)) (Change, error) {
	id, version, seq := d.ID, d.Version, d.EvidenceSeq
	c, err := fn(d)
	if err != nil {
		return Change{}, err
	}
	if d.ID != id || d.Version != version {
		return Change{}, errs.Wrap(ErrConflict, "delivery %s changed identity or version", id)
	}
	if err := checkEvidence(id, seq, d, c.Evidence); err != nil {
		return Change{}, err
	}
	d.Version++
	return c, nil
}

// ApplyProgress is ApplyUpdate for a change of a delivery's progress, the
// rule of Store.UpdateMany: fn may change the attempts, the state, NextAt,
// the lease and the evidence head; what it does to the document, the
// recipient, the rule, the decision and the creation time is undone. A
// store may therefore write a batch's progress without the documents, which
// a dispatch never changes. A change of anything else goes through Update.
func ApplyProgress(d *Delivery, fn func(*Delivery) (Change, error)) (Change, error) {
	kept := *d
	c, err := ApplyUpdate(d, fn)
	if err != nil {
		return Change{}, err
	}
	d.Document, d.ContentSHA256, d.Recipient = kept.Document, kept.ContentSHA256, kept.Recipient
	d.Rule, d.Decision, d.CreatedAt = kept.Rule, kept.Decision, kept.CreatedAt
	return c, nil
}

// checkEvidence checks that ev continues a document's chain after entry
// have and that d's head is its last entry.
func checkEvidence(doc uuid.UUID, have int, d *Delivery, ev []Evidence) error {
	for i, e := range ev {
		if e.Seq != have+i+1 || e.DocumentID != doc {
			return errs.Wrap(ErrConflict, "evidence sequence %d does not follow %d", e.Seq, have+i)
		}
	}
	if d.EvidenceSeq != have+len(ev) {
		return errs.Wrap(ErrConflict, "delivery %s claims evidence %d, the change brings it to %d", doc, d.EvidenceSeq, have+len(ev))
	}
	return nil
}

// CheckClaim checks the arguments of Store.Claim.
func CheckClaim(lease time.Duration, limit int) error {
	var c errs.Collector
	if lease <= 0 {
		c.Add("lease", "min", "lease must be positive")
	}
	if limit < 1 {
		c.Add("limit", "min", "claim at least one delivery")
	}
	return c.Err()
}

// ApplyClaim leases a due delivery to a dispatcher until now+lease, under
// a fresh lease ID, and sets the next version. A store calls it for every
// delivery it claims, those whose DueAt is not after now.
func ApplyClaim(d *Delivery, now time.Time, lease time.Duration) {
	d.LeaseID = id.New()
	d.LeaseUntil = now.Add(lease)
	d.Version++
}

// ApplyPreference runs fn on p, a copy of the party's latest preference
// (the zero Preference when exists is false), and checks that the result is
// the party's next version.
func ApplyPreference(p *Preference, exists bool, party Party, fn func(*Preference, bool) ([]event.Event, error)) ([]event.Event, error) {
	prev := p.Version
	evs, err := fn(p, exists)
	if err != nil {
		return nil, err
	}
	if p.Version != prev+1 || p.Party != party {
		return nil, errs.Wrap(ErrConflict, "preference version %d does not follow %d", p.Version, prev)
	}
	return evs, nil
}

// CheckRuleVersion is the rule for storing a category's rule: its version
// follows the latest stored one (0 when the category has none).
func CheckRuleVersion(latest int, r Rule) error {
	if r.Version != latest+1 {
		return errs.Wrap(ErrConflict, "rule version %d does not follow %d", r.Version, latest)
	}
	return nil
}

// PaperSlotFree is the daily paper limit: another letter may go to the mail
// provider on a day when fewer than limit were reserved.
func PaperSlotFree(used, limit int) bool { return used < limit }
