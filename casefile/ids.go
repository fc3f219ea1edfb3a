package casefile

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"

	"github.com/google/uuid"
)

// ids hands out UUID version 7 identifiers like internal/id, but from a
// buffer of crypto/rand bytes: a case change makes up to six IDs (case,
// entries, events), and uuid.NewV7 reads the system's random source and
// allocates for each, which alone would eat the engine's time budget. Like
// uuid.NewV7 the IDs of one process are strictly increasing, which keeps
// creation order and ID order the same.
var ids struct {
	mu   sync.Mutex
	buf  [4096]byte
	pos  int
	last uint64 // 48-bit milliseconds << 12 | 12-bit fraction of the millisecond
}

func newID() uuid.UUID {
	now := time.Now().UnixNano()
	ts := uint64(now/1e6)<<12 | uint64(now%1e6)>>8 // 1e6>>8 < 4096
	ids.mu.Lock()
	if ts <= ids.last {
		ts = ids.last + 1
	}
	ids.last = ts
	if ids.pos+8 > len(ids.buf) || ids.pos == 0 {
		if _, err := rand.Read(ids.buf[:]); err != nil {
			panic("casefile: no randomness: " + err.Error()) // crypto/rand.Read never fails on supported platforms
		}
		ids.pos = 0
	}
	r := binary.BigEndian.Uint64(ids.buf[ids.pos:])
	ids.pos += 8
	if ids.pos == len(ids.buf) {
		ids.pos = 0
	}
	ids.mu.Unlock()

	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], ts>>12<<16|0x7000|ts&0x0fff) // 48-bit ms, version 7, 12-bit fraction
	binary.BigEndian.PutUint64(u[8:16], r&^(3<<62)|1<<63)           // RFC 9562 variant 10
	return u
}
