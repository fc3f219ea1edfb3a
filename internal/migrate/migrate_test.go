package migrate

import (
	"context"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

var files = fstest.MapFS{
	"m/0002_more.sql":  {Data: []byte("ALTER TABLE things ADD COLUMN n integer NOT NULL DEFAULT 0;")},
	"m/0001_first.sql": {Data: []byte("CREATE TABLE things (id serial PRIMARY KEY);")},
	"m/README.md":      {Data: []byte("not a migration")},
}

func TestLoad(t *testing.T) {
	migs, err := Load(files, "m")
	require.NoError(t, err)
	require.Len(t, migs, 2)
	assert.Equal(t, 1, migs[0].Version)
	assert.Equal(t, "0002_more.sql", migs[1].Name)

	_, err = Load(fstest.MapFS{"m/first.sql": {}}, "m")
	assert.ErrorContains(t, err, "version number")
	_, err = Load(fstest.MapFS{"m/0001_a.sql": {}, "m/1_b.sql": {}}, "m")
	assert.ErrorContains(t, err, "same version")
}

func TestRun(t *testing.T) {
	pool := pgtest.Pool(t, 0)
	ctx := context.Background()
	done, err := Run(ctx, pool, "things", files, "m")
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, done)

	done, err = Run(ctx, pool, "things", files, "m")
	require.NoError(t, err)
	assert.Empty(t, done, "a second run applies nothing")

	more := fstest.MapFS{"m/0003_x.sql": {Data: []byte("ALTER TABLE things ADD COLUMN x text;")}}
	for k, v := range files {
		more[k] = v
	}
	done, err = Run(ctx, pool, "things", more, "m")
	require.NoError(t, err)
	assert.Equal(t, []int{3}, done)

	bad := fstest.MapFS{"m/0001_bad.sql": {Data: []byte("CREATE TABLE oops (;")}}
	_, err = Run(ctx, pool, "other", bad, "m")
	assert.ErrorContains(t, err, "0001_bad.sql")
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE component = 'other'").Scan(&n))
	assert.Zero(t, n, "a failed migration is not recorded")
}

func TestRunConcurrently(t *testing.T) {
	pool := pgtest.Pool(t, 10)
	ctx := context.Background()
	const runners = 8
	var wg sync.WaitGroup
	start := make(chan struct{})
	results := make([][]int, runners)
	errors := make([]error, runners)
	for i := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errors[i] = Run(ctx, pool, "things", files, "m")
		}()
	}
	close(start)
	wg.Wait()
	applied := 0
	for i := range runners {
		require.NoError(t, errors[i])
		applied += len(results[i])
	}
	assert.Equal(t, 2, applied, "each migration is applied exactly once")
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE component = 'things'").Scan(&n))
	assert.Equal(t, 2, n)
}
