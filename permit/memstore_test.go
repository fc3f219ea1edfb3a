package permit_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
)

func TestMemStoreConformance(t *testing.T) {
	permittest.Run(t, func(*testing.T) permit.Store { return permit.NewMemStore(nil) })
}
