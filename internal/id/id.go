// Package id generates identifiers: UUID version 7 (RFC 9562), time-ordered,
// so new rows land at the end of an index.
//
// It draws randomness from a buffer of crypto/rand bytes rather than asking
// the system for each identifier: a single state change can make half a
// dozen identifiers (the aggregate, timeline entries, events), and a system
// call for each would dominate the cost of an in-memory operation. The
// identifiers of one process are strictly increasing: the 12 bits after
// the millisecond hold its sub-millisecond fraction, bumped by one when two
// calls fall in the same tick.
package id

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"

	"github.com/google/uuid"
)

var state struct {
	mu   sync.Mutex
	buf  [4096]byte
	pos  int  // next unread byte of buf
	full bool // buf holds random bytes
	last uint64
}

// New returns a new UUID v7.
func New() uuid.UUID {
	now := time.Now().UnixNano()
	// 48-bit milliseconds, then 12 bits of the fraction of the millisecond (1e6>>8 < 4096).
	ts := uint64(now/1e6)<<12 | uint64(now%1e6)>>8
	state.mu.Lock()
	if ts <= state.last {
		ts = state.last + 1
	}
	state.last = ts
	if !state.full || state.pos+8 > len(state.buf) {
		if _, err := rand.Read(state.buf[:]); err != nil {
			panic("id: no randomness: " + err.Error()) // crypto/rand.Read does not fail on supported platforms
		}
		state.pos, state.full = 0, true
	}
	r := binary.BigEndian.Uint64(state.buf[state.pos:])
	state.pos += 8
	state.mu.Unlock()

	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], ts>>12<<16|0x7000|ts&0x0fff) // milliseconds, version 7, fraction
	binary.BigEndian.PutUint64(u[8:16], r&^(3<<62)|1<<63)           // variant 10, 62 random bits
	return u
}
