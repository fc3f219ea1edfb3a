package wiring

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoolConfigSizesThePoolUnlessTheURLDoes(t *testing.T) {
	for _, tc := range []struct {
		url           string
		want, wantMin int32
	}{
		{"postgres://postgres@127.0.0.1:5432/portal?sslmode=disable", DefaultMaxConns, DefaultMaxConns},
		{"postgres://postgres@127.0.0.1:5432/portal?sslmode=disable&pool_max_conns=3", 3, 3},
		{"host=127.0.0.1 user=postgres dbname=portal pool_max_conns=40", 40, 40},
		{"postgres://postgres@127.0.0.1:5432/portal?pool_max_conns=8&pool_min_conns=2", 8, 2},
		{"postgres://postgres@127.0.0.1:5432/portal?pool_min_conns=0", DefaultMaxConns, 0},
	} {
		cfg, err := PoolConfig(tc.url)
		require.NoError(t, err, tc.url)
		assert.Equal(t, tc.want, cfg.MaxConns, tc.url)
		assert.Equal(t, tc.wantMin, cfg.MinConns, "kept open: %s", tc.url)
	}
	_, err := PoolConfig("postgres://postgres@127.0.0.1:5432/portal?pool_max_conns=many")
	assert.Error(t, err)
}
