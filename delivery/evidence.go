package delivery

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// Evidence ("bewijs") is one entry in a document's append-only log. Each
// entry carries the hash of the previous one, so changing, removing or
// reordering any entry breaks the chain.
type Evidence struct {
	DocumentID uuid.UUID   `json:"document_id"`
	Seq        int         `json:"seq"`
	At         time.Time   `json:"at"`
	Kind       string      `json:"kind"`
	Channel    ChannelKind `json:"channel,omitempty"`
	Status     Status      `json:"status,omitempty"`
	// ContentSHA256 is the hash of what was sent.
	ContentSHA256 string `json:"content_sha256,omitempty"`
	// Recipient is the party and the contact used ("to whom"). It is
	// personal data, kept as proof for as long as the rule's retention.
	Recipient string `json:"recipient,omitempty"`
	Detail    string `json:"detail,omitempty"`
	PrevHash  string `json:"prev_hash"`
	Hash      string `json:"hash"`
}

// Evidence kinds.
const (
	EvidenceRouted     = "routed"
	EvidenceNoChannel  = "no_channel"
	EvidenceQueued     = "queued"
	EvidenceSent       = "sent"
	EvidenceSendFailed = "send_failed"
	EvidenceStatus     = "status"
	EvidenceFallback   = "fallback"
	EvidenceCompleted  = "completed"
	EvidenceFailed     = "failed"
)

// ComputeHash returns the entry's hash over all fields but Hash, each
// length-prefixed, chained to PrevHash.
func (e Evidence) ComputeHash() string {
	var stack [1024]byte
	b := stack[:0]
	put := func(s string) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	put(e.PrevHash)
	var idb [36]byte
	put(string(encodeUUID(idb[:], e.DocumentID)))
	var nb [64]byte
	put(string(strconv.AppendInt(nb[:0], int64(e.Seq), 10)))
	put(string(e.At.UTC().AppendFormat(nb[:0], time.RFC3339Nano)))
	put(e.Kind)
	put(string(e.Channel))
	put(string(e.Status))
	put(e.ContentSHA256)
	put(e.Recipient)
	put(e.Detail)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func encodeUUID(dst []byte, u uuid.UUID) []byte {
	hex.Encode(dst[0:8], u[0:4])
	dst[8] = '-'
	hex.Encode(dst[9:13], u[4:6])
	dst[13] = '-'
	hex.Encode(dst[14:18], u[6:8])
	dst[18] = '-'
	hex.Encode(dst[19:23], u[8:10])
	dst[23] = '-'
	hex.Encode(dst[24:], u[10:])
	return dst
}

// VerifyChain checks that entries form one unbroken chain for one document,
// starting at sequence 1. It returns ErrTampered naming the first bad entry.
func VerifyChain(entries []Evidence) error {
	prev := ""
	for i, e := range entries {
		if e.Seq != i+1 || e.PrevHash != prev || (i > 0 && e.DocumentID != entries[0].DocumentID) {
			return fmt.Errorf("%w at entry %d: sequence or link broken", ErrTampered, i+1)
		}
		if e.ComputeHash() != e.Hash {
			return fmt.Errorf("%w at entry %d: content changed", ErrTampered, i+1)
		}
		prev = e.Hash
	}
	return nil
}

// EvidenceExport is the self-contained dossier for a dispute: every entry and
// the head hash, which anyone can recompute from the entries.
type EvidenceExport struct {
	DocumentID uuid.UUID  `json:"document_id"`
	ExportedAt time.Time  `json:"exported_at"`
	Head       string     `json:"head"`
	Entries    []Evidence `json:"entries"`
}

// ExportEvidence verifies the chain and encodes it as JSON.
func ExportEvidence(doc uuid.UUID, entries []Evidence, now time.Time) ([]byte, error) {
	if err := VerifyChain(entries); err != nil {
		return nil, err
	}
	x := EvidenceExport{DocumentID: doc, ExportedAt: now, Entries: entries}
	if len(entries) > 0 {
		x.Head = entries[len(entries)-1].Hash
	}
	return json.MarshalIndent(x, "", "  ")
}
