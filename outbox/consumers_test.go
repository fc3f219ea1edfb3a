package outbox_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

func TestConsumers(t *testing.T) {
	eventtest.Run(t, func(t *testing.T, clk clock.Clock, p event.RetryPolicy) eventtest.Harness {
		pool := pgtest.Pool(t, 16)
		require.NoError(t, outbox.Migrate(context.Background(), pool))
		return eventtest.Harness{
			Consumers: outbox.NewConsumers(pool, clk, p),
			Publish: func(ctx context.Context, events ...event.Event) error {
				return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Write(ctx, tx, events...) })
			},
			Another: func() event.Consumers { return outbox.NewConsumers(pool, clk, p) },
		}
	})
}
