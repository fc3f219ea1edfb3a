// Package id generates identifiers: UUID version 7, time-ordered, so new
// rows land at the end of an index.
package id

import "github.com/google/uuid"

// New returns a new UUID v7.
func New() uuid.UUID {
	return uuid.Must(uuid.NewV7())
}
