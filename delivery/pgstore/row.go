package pgstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/internal/memo"
)

// deliveryColumns are the columns a delivery is read from, in
// deliveryTables: its document (d), and the queueColumns, the version,
// the lease and the progress of its queue row (q; migration 0007), which a
// claim and a completion write. A delivery's Summary is read from the
// header (migration 0006) instead of the document, and the same columns
// of the queue row.
const (
	deliveryTables  = `delivery_deliveries d JOIN delivery_queue q ON q.id = d.id`
	queueColumns    = `q.version, q.lease_id, q.lease_until, q.progress`
	deliveryColumns = `d.data, ` + queueColumns
)

// header is the part of a delivery's summary that a dispatch never changes:
// the document without its body and attachments. Its JSON has the names
// of delivery.Delivery's, so a row's header decodes as its document does.
type header struct {
	ID        uuid.UUID         `json:"id"`
	Document  delivery.Document `json:"document"`
	CreatedAt time.Time         `json:"created_at"`
}

// encode gives the values of the columns data, header and progress for d.
func encode(d *delivery.Delivery) (data, head, prog []byte, err error) {
	doc := d.Document
	doc.Body, doc.Attachments = "", nil
	if data, err = json.Marshal(d); err == nil {
		if head, err = json.Marshal(header{ID: d.ID, Document: doc, CreatedAt: d.CreatedAt}); err == nil {
			prog, err = json.Marshal(progressOf(d))
		}
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("encode delivery: %w", err)
	}
	return data, head, prog, nil
}

// progress is what a dispatch changes in a delivery (delivery.ApplyProgress
// undoes the rest), written apart from the document by UpdateMany.
type progress struct {
	Attempts     []delivery.Attempt `json:"attempts"`
	State        delivery.State     `json:"state"`
	NextAt       time.Time          `json:"next_at,omitzero"`
	EvidenceSeq  int                `json:"evidence_seq"`
	EvidenceHead string             `json:"evidence_head"`
}

func progressOf(d *delivery.Delivery) progress {
	return progress{Attempts: d.Attempts, State: d.State, NextAt: d.NextAt, EvidenceSeq: d.EvidenceSeq, EvidenceHead: d.EvidenceHead}
}

// summaryKey names one version of one delivery's summary: seq is the
// document's row's, and every write of a delivery raises its version (in
// its queue row).
type summaryKey struct {
	seq     int64
	version int
}

// scanSummary reads seq, the header and the queueColumns of one row into
// d, taking the decoded summary from memo when it holds this version of the
// delivery.
func scanSummary(row pgx.Row, d *delivery.Delivery, seq *int64, memo *memo.Memo[summaryKey, delivery.Delivery]) error {
	var (
		raw, prog []byte
		version   int
		until     *time.Time
		lease     *[16]byte
	)
	if err := row.Scan(seq, &raw, &version, &lease, &until, &prog); err != nil {
		return err
	}
	key := summaryKey{*seq, version}
	if v, ok := memo.Get(key); ok {
		*d = v.Clone()
	} else {
		if err := decode(raw, version, prog, d); err != nil {
			return err
		}
		memo.Put(key, d.Clone())
	}
	setLease(d, lease, until)
	return nil
}

// scanDelivery reads the deliveryColumns of one row (after any leading
// columns the caller scans into lead) into d, the queue's columns
// overriding the document's stale copies of the version, the lease and the
// progress.
func scanDelivery(row pgx.Row, d *delivery.Delivery, lead ...any) error {
	var (
		raw, prog []byte
		until     *time.Time
		lease     *[16]byte // pgx decodes [16]byte directly, a uuid.UUID through its text form
	)
	if err := row.Scan(append(lead, &raw, &d.Version, &lease, &until, &prog)...); err != nil {
		return err
	}
	if err := decode(raw, d.Version, prog, d); err != nil {
		return err
	}
	setLease(d, lease, until)
	return nil
}

// decode reads a delivery from its document (or header) raw and its
// progress column prog, with the row's version.
func decode(raw []byte, version int, prog []byte, d *delivery.Delivery) error {
	if err := json.Unmarshal(raw, d); err != nil {
		return fmt.Errorf("decode delivery: %w", err)
	}
	if prog != nil {
		var p progress
		if err := json.Unmarshal(prog, &p); err != nil {
			return fmt.Errorf("decode delivery progress: %w", err)
		}
		d.Attempts, d.State, d.NextAt, d.EvidenceSeq, d.EvidenceHead = p.Attempts, p.State, p.NextAt, p.EvidenceSeq, p.EvidenceHead
	}
	d.Version = version
	return nil
}

// setLease sets d's lease from the row's lease columns.
func setLease(d *delivery.Delivery, lease *[16]byte, until *time.Time) {
	d.LeaseID, d.LeaseUntil = uuid.Nil, time.Time{}
	if lease != nil {
		d.LeaseID = *lease
	}
	if until != nil {
		d.LeaseUntil = *until
	}
}

// leaseArgs are the values of the lease columns for d: NULL when it holds
// no lease.
func leaseArgs(d *delivery.Delivery) (lease, until any) {
	if d.LeaseID != uuid.Nil {
		lease = d.LeaseID
	}
	if !d.LeaseUntil.IsZero() {
		until = d.LeaseUntil
	}
	return lease, until
}
