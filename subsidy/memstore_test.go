package subsidy_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

func TestMemStore(t *testing.T) {
	subsidytest.Run(t, func(*testing.T) subsidy.Store { return subsidy.NewMemStore(nil) })
}
