package pgstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/lokaalbestuur/bouwstenen/delivery"
)

// deliveryColumns are the columns a delivery is read from: its document
// without body and attachments, the version and lease kept beside it (a
// claim writes only those) and the body and attachments (content).
// summaryColumns are those its Summary is read from: the summary kept
// beside the document for lists, and the version and lease. See the
// migration 0005.
const (
	deliveryColumns = `data, version, lease_id, lease_until, content`
	summaryColumns  = `summary, version, lease_id, lease_until`
)

// content is the part of a delivery's document that lists do not show,
// kept in the column content.
type content struct {
	Body        string                `json:"body"`
	Attachments []delivery.Attachment `json:"attachments,omitempty"`
}

// encode gives the values of the columns data, content and summary for d.
func encode(d *delivery.Delivery) (data, cont, sum []byte, err error) {
	rest := *d
	rest.Document.Body, rest.Document.Attachments = "", nil
	if data, err = json.Marshal(&rest); err != nil {
		return nil, nil, nil, fmt.Errorf("encode delivery: %w", err)
	}
	if cont, err = json.Marshal(content{Body: d.Document.Body, Attachments: d.Document.Attachments}); err != nil {
		return nil, nil, nil, fmt.Errorf("encode delivery: %w", err)
	}
	s := d.Summary()
	if sum, err = json.Marshal(&s); err != nil {
		return nil, nil, nil, fmt.Errorf("encode delivery: %w", err)
	}
	return data, cont, sum, nil
}

// scanDelivery reads the deliveryColumns of one row (after any leading
// columns the caller scans into lead) into d, the columns overriding the
// document's stale copies of the version and the lease.
func scanDelivery(row pgx.Row, d *delivery.Delivery, lead ...any) error {
	var raw []byte
	if err := scanRow(row, d, lead, &raw); err != nil {
		return err
	}
	var c content
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("decode delivery: %w", err)
	}
	d.Document.Body, d.Document.Attachments = c.Body, c.Attachments
	return nil
}

// scanSummary reads the summaryColumns of one row, as scanDelivery does.
func scanSummary(row pgx.Row, d *delivery.Delivery, lead ...any) error {
	return scanRow(row, d, lead, nil)
}

// scanRow reads lead, the summaryColumns and, when cont is not nil, the
// column content into cont.
func scanRow(row pgx.Row, d *delivery.Delivery, lead []any, cont *[]byte) error {
	var (
		raw   []byte
		until *time.Time
		lease *[16]byte // pgx decodes [16]byte directly, a uuid.UUID through its text form
	)
	dest := append(lead, &raw, &d.Version, &lease, &until)
	if cont != nil {
		dest = append(dest, cont)
	}
	if err := row.Scan(dest...); err != nil {
		return err
	}
	version := d.Version
	if err := json.Unmarshal(raw, d); err != nil {
		return fmt.Errorf("decode delivery: %w", err)
	}
	d.Version, d.LeaseID, d.LeaseUntil = version, uuid.Nil, time.Time{}
	if lease != nil {
		d.LeaseID = *lease
	}
	if until != nil {
		d.LeaseUntil = *until
	}
	return nil
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
