package id

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNew(t *testing.T) {
	a, b := New(), New()
	assert.Equal(t, 7, int(a.Version()))
	assert.NotEqual(t, a, b)
	assert.Less(t, a.String(), b.String(), "v7 identifiers sort in creation order")
}
