package casefile

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// caseLoop holds the parts of a case that only some cases have (a case
// type version, a closing, a reopening, a rating, an anonymisation), kept
// beside the packed record so a case that has none costs nothing.
type caseLoop struct {
	typeVersion                      int
	closedAt, reopenedAt, anonymised stamp
	reopened                         int
	score                            int
	comment                          string
	ratedAt                          stamp
	// deleted marks a case retention deleted: its reference is kept
	// (never handed out again) but finds nothing.
	deleted bool
}

// hasLoop reports whether c has any of the parts a caseLoop holds.
func hasLoop(c *Case) bool {
	return c.TypeVersion != 0 || !c.ClosedAt.IsZero() || !c.ReopenedAt.IsZero() || !c.AnonymisedAt.IsZero() ||
		c.Reopened != 0 || !c.Satisfaction.IsZero()
}

func (s *MemStore) packLoop(r *caseRec, c *Case) {
	if r.loop == 0 {
		if !hasLoop(c) {
			return
		}
		i, _ := s.loops.add()
		r.loop = i + 1
	}
	l := s.loops.at(r.loop - 1)
	*l = caseLoop{typeVersion: c.TypeVersion, closedAt: s.locs.stamp(c.ClosedAt), reopenedAt: s.locs.stamp(c.ReopenedAt),
		anonymised: s.locs.stamp(c.AnonymisedAt), reopened: c.Reopened, score: c.Satisfaction.Score,
		comment: c.Satisfaction.Comment, ratedAt: s.locs.stamp(c.Satisfaction.At)}
}

func (s *MemStore) loadLoop(r *caseRec, c *Case) {
	if r.loop == 0 {
		return
	}
	l := s.loops.at(r.loop - 1)
	c.TypeVersion, c.Reopened = l.typeVersion, l.reopened
	c.ClosedAt, c.ReopenedAt, c.AnonymisedAt = s.zeroOr(l.closedAt), s.zeroOr(l.reopenedAt), s.zeroOr(l.anonymised)
	if l.score != 0 || l.comment != "" || !l.ratedAt.isZero() {
		c.Satisfaction = Satisfaction{Score: l.score, Comment: l.comment, At: s.zeroOr(l.ratedAt)}
	}
}

// zeroOr is locs.time that gives back the zero time as the zero time.
func (s *MemStore) zeroOr(st stamp) (t time.Time) {
	if st.isZero() {
		return
	}
	return s.locs.time(st)
}

// purgeable is Case.Purgeable of a packed case.
func (s *MemStore) purgeable(r *caseRec, before time.Time) bool {
	if !r.closed || r.loop == 0 {
		return false
	}
	l := s.loops.at(r.loop - 1)
	return !l.closedAt.isZero() && l.closedAt.before(before) && l.anonymised.isZero()
}

func (s *MemStore) deleted(r *caseRec) bool {
	return r.loop != 0 && s.loops.at(r.loop-1).deleted
}

// redact strips r's stored timeline of free text, attachment names and
// citizens' actor IDs.
func (s *MemStore) redact(r *caseRec) {
	citizen, _ := s.syms.lookup(string(RoleCitizen))
	for i := r.lastEntry; i != 0; i = s.entries.at(i - 1).prev {
		er := s.entries.at(i - 1)
		if citizen != 0 && er.actorRole == citizen {
			er.actorID = 0
		}
		if er.extra != 0 {
			x := s.extras.at(er.extra - 1)
			x.text, x.attachment = "", ""
		}
	}
}

// remove deletes the case at slot from every index and redacts its
// timeline; its record stays, marked deleted, so its number is not reused.
// The case's packed text is dropped from the record but its bytes stay in
// the text arena, which never rewrites bytes (strings handed out may point
// into them), until the store itself is dropped; anonymisation leaves the
// old text behind the same way. A production store must not rely on this
// store for retention.
func (s *MemStore) remove(id uuid.UUID, slot uint32, r *caseRec, texts *[textFields]string) {
	key := idKeyOf(id)
	key.slot = slot
	s.byID.Delete(key)
	if r.running() {
		s.byDue.Delete(dueKey{r.due.micro(), key})
	}
	if req := texts[textRequesterID]; req != "" {
		s.byReq.Delete(reqKey{s.reqHash(req), key})
	}
	if k := texts[textIdempotencyKey]; k != "" {
		delete(s.keys, idemKey{r.municipality, k})
	}
	s.redact(r)
	if r.loop == 0 {
		i, _ := s.loops.add()
		r.loop = i + 1
	}
	*s.loops.at(r.loop - 1) = caseLoop{deleted: true}
	if r.attachments != 0 {
		*s.attachments.at(r.attachments - 1) = nil
	}
	*r = caseRec{id: r.id, loop: r.loop, municipality: r.municipality}
}

// RecordPurge implements Store.
func (s *MemStore) RecordPurge(ctx context.Context, run PurgeRun, events []event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.publish(ctx, events); err != nil {
		return err
	}
	s.purges = append(s.purges, run)
	return nil
}

// PurgeRuns implements Store.
func (s *MemStore) PurgeRuns(_ context.Context, municipality string) ([]PurgeRun, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []PurgeRun{}
	for _, r := range s.purges {
		if r.Municipality == municipality {
			out = append(out, r)
		}
	}
	return slices.Clip(out), nil
}
