package pggather_test

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/pggather"
)

// Three parts of a page read at the same time; their reads go to
// PostgreSQL in one round trip. (It needs a database: the URL in
// BOUWSTENEN_TEST_POSTGRES.)
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("BOUWSTENEN_TEST_POSTGRES"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()

	parts := []string{"meldingen", "facturen", "vergunningen"}
	counts := make([]int, len(parts))
	ctxs := pggather.Gather(ctx, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Go(func() {
			defer pggather.Done(ctxs[i])
			// What a store of the part does, on the context it was given.
			rows, err := pggather.Query(ctxs[i], pool, "SELECT length($1::text)", part)
			if err != nil {
				fmt.Println(err)
				return
			}
			counts[i], err = pgx.CollectExactlyOneRow(rows, pgx.RowTo[int])
			if err != nil {
				fmt.Println(err)
			}
		})
	}
	wg.Wait()
	fmt.Println(counts)
}
