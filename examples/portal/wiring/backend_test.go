package wiring

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoolConfigSizesThePoolUnlessTheURLDoes(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want int32
	}{
		{"postgres://postgres@127.0.0.1:5432/portal?sslmode=disable", DefaultMaxConns},
		{"postgres://postgres@127.0.0.1:5432/portal?sslmode=disable&pool_max_conns=3", 3},
		{"host=127.0.0.1 user=postgres dbname=portal pool_max_conns=40", 40},
	} {
		cfg, err := PoolConfig(tc.url)
		require.NoError(t, err, tc.url)
		assert.Equal(t, tc.want, cfg.MaxConns, tc.url)
	}
	_, err := PoolConfig("postgres://postgres@127.0.0.1:5432/portal?pool_max_conns=many")
	assert.Error(t, err)
}
