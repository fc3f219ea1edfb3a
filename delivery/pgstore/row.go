package pgstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/lokaalbestuur/bouwstenen/delivery"
)

// deliveryColumns are the columns a delivery is read from: its document,
// and the version and lease kept beside it (a claim writes only those).
// summaryColumns are those its Summary is read from: the summary kept
// beside the document for lists (see the migration 0005), and the version
// and lease.
const (
	deliveryColumns = `data, version, lease_id, lease_until`
	summaryColumns  = `summary, version, lease_id, lease_until`
)

// encode gives the values of the columns data and summary for d.
func encode(d *delivery.Delivery) (data, sum []byte, err error) {
	if data, err = json.Marshal(d); err != nil {
		return nil, nil, fmt.Errorf("encode delivery: %w", err)
	}
	s := d.Summary()
	if sum, err = json.Marshal(&s); err != nil {
		return nil, nil, fmt.Errorf("encode delivery: %w", err)
	}
	return data, sum, nil
}

// scanDelivery reads the deliveryColumns, or the summaryColumns, of one
// row (after any leading columns the caller scans into lead) into d, the
// columns overriding the document's stale copies of the version and the
// lease.
func scanDelivery(row pgx.Row, d *delivery.Delivery, lead ...any) error {
	var (
		raw   []byte
		until *time.Time
		lease *[16]byte // pgx decodes [16]byte directly, a uuid.UUID through its text form
	)
	if err := row.Scan(append(lead, &raw, &d.Version, &lease, &until)...); err != nil {
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
