package entitlement_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

func TestCheckCreate(t *testing.T) {
	holder, current := id.New(), id.New()
	keyed := &entitlement.Grant{ID: id.New(), SubjectID: "s1", Benefit: "b1", Status: entitlement.GrantActive, IdempotencyKey: "run:1/x"}
	plain := &entitlement.Grant{ID: id.New(), SubjectID: "s1", Benefit: "b1", Status: entitlement.GrantActive}
	for _, c := range []struct {
		name string
		g    *entitlement.Grant
		e    entitlement.Existing
		want error
	}{
		{"nothing held", keyed, entitlement.Existing{}, nil},
		{"key taken", keyed, entitlement.Existing{KeyHolder: holder, OptedOut: true, Current: current}, &entitlement.DuplicateError{Key: "run:1/x", ID: holder}},
		{"opted out", plain, entitlement.Existing{OptedOut: true, Current: current}, entitlement.ErrOptedOut},
		{"current grant", plain, entitlement.Existing{Current: current}, entitlement.ErrAlreadyGranted},
		{"unkeyed ignores holders", plain, entitlement.Existing{KeyHolder: holder}, nil},
	} {
		err := entitlement.CheckCreate(c.g, c.e)
		if c.want == nil {
			assert.NoError(t, err, c.name)
			continue
		}
		if d, ok := c.want.(*entitlement.DuplicateError); ok {
			var got *entitlement.DuplicateError
			if assert.ErrorAs(t, err, &got, c.name) {
				assert.Equal(t, *d, *got, c.name)
			}
			continue
		}
		assert.ErrorIs(t, err, c.want, c.name)
	}
}

// FuzzCheckUpdate: an update that leaves what identifies a grant passes
// unless it revives a stopped grant; one that changes it never does.
func FuzzCheckUpdate(f *testing.F) {
	f.Add("s1", "b1", "k", "active", "ending", "s1", "b1", "k")
	f.Add("s1", "b1", "", "revoked", "active", "s1", "b1", "")
	f.Add("s1", "b1", "", "active", "active", "s2", "b1", "")
	f.Fuzz(func(t *testing.T, subject, benefit, key, from, to, subject2, benefit2, key2 string) {
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		old := &entitlement.Grant{ID: uuid.Max, SubjectID: subject, Benefit: benefit, IdempotencyKey: key, Status: entitlement.GrantStatus(from), CreatedAt: at}
		next := *old
		next.SubjectID, next.Benefit, next.IdempotencyKey, next.Status = subject2, benefit2, key2, entitlement.GrantStatus(to)
		next.EndReason, next.Version = "whatever", 7
		err := entitlement.CheckUpdate(old, &next)
		same := subject == subject2 && benefit == benefit2 && key == key2
		revived := !old.Status.Current() && next.Status.Current()
		if same && !revived {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, entitlement.ErrInvalidTransition)
		}
	})
}
