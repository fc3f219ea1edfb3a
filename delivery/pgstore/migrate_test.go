package pgstore

import (
	"context"
	"encoding/json"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

// A delivery leased before migration 0003 (the lease then lived in the
// document) keeps its lease and version once the lease moves to columns.
func TestLeaseSurvivesMigrationToColumns(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 2)
	old := fstest.MapFS{}
	for _, name := range []string{"0001_delivery.sql", "0002_recipient_lists.sql"} {
		b, err := fs.ReadFile(migrations, "migrations/"+name)
		require.NoError(t, err)
		old["migrations/"+name] = &fstest.MapFile{Data: b}
	}
	require.NoError(t, outbox.Migrate(ctx, pool))
	_, err := migrate.Run(ctx, pool, "delivery", old, "migrations")
	require.NoError(t, err)

	until := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	leased := delivery.Delivery{ID: uuid.New(), Version: 3, LeaseID: uuid.New(), LeaseUntil: until, State: delivery.StateActive}
	free := delivery.Delivery{ID: uuid.New(), Version: 1, State: delivery.StateActive}
	for _, d := range []delivery.Delivery{leased, free} {
		data, err := json.Marshal(d)
		require.NoError(t, err)
		_, err = pool.Exec(ctx, `INSERT INTO delivery_deliveries (id, version, due_at, party, data) VALUES ($1, $2, $3, 'person:x', $4)`,
			d.ID, d.Version, until, data)
		require.NoError(t, err)
	}

	s := New(pool)
	require.NoError(t, s.Migrate(ctx))
	got, err := s.Get(ctx, leased.ID)
	require.NoError(t, err)
	assert.Equal(t, leased.LeaseID, got.LeaseID)
	assert.True(t, until.Equal(got.LeaseUntil), "lease until %s", got.LeaseUntil)
	assert.Equal(t, 3, got.Version)
	got, err = s.Get(ctx, free.ID)
	require.NoError(t, err)
	assert.Equal(t, uuid.Nil, got.LeaseID)
	assert.True(t, got.LeaseUntil.IsZero())

	// due_at moved to the end of the row (0005) with its values: both are
	// due once the lease has run out, neither before.
	early, err := s.Claim(ctx, until.Add(-time.Minute), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, early)
	due, err := s.Claim(ctx, until, time.Minute, 10)
	require.NoError(t, err)
	assert.Len(t, due, 2)
}

// A delivery stored before migrations 0005 and 0006 (no progress and no
// header beside it) is read whole afterwards, and listed as its summary,
// which the migrations made from the document.
func TestMigrationSummarisesStoredDeliveries(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 2)
	old := fstest.MapFS{}
	for _, name := range []string{"0001_delivery.sql", "0002_recipient_lists.sql", "0003_lease_columns.sql", "0004_hot_claim.sql"} { // before 0005
		b, err := fs.ReadFile(migrations, "migrations/"+name)
		require.NoError(t, err)
		old["migrations/"+name] = &fstest.MapFile{Data: b}
	}
	require.NoError(t, outbox.Migrate(ctx, pool))
	_, err := migrate.Run(ctx, pool, "delivery", old, "migrations")
	require.NoError(t, err)

	party := delivery.Party{Kind: delivery.Person, ID: "85073003328"}
	ics := delivery.Attachment{Name: "afspraak.ics", ContentType: "text/calendar", Data: []byte("BEGIN:VCALENDAR")}
	letter := delivery.Delivery{ID: uuid.New(), Version: 2, State: delivery.StateActive, ContentSHA256: "abc", EvidenceSeq: 2, EvidenceHead: "e2",
		NextAt:    time.Date(2026, 3, 2, 9, 31, 0, 0, time.UTC),
		Attempts:  []delivery.Attempt{{Key: "k", Channel: delivery.ChannelEmail, Status: delivery.StatusQueued}},
		CreatedAt: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
		Document: delivery.Document{Party: party, Subject: "Uw afspraak", Body: "Tot dan", Attachments: []delivery.Attachment{ics},
			Metadata: map[string]string{"link": "/afspraken/1"}}}
	bare := delivery.Delivery{ID: uuid.New(), Version: 1, State: delivery.StateActive, Document: delivery.Document{Party: party, Subject: "Zonder bijlage"}}
	for _, d := range []delivery.Delivery{letter, bare} {
		data, err := json.Marshal(d)
		require.NoError(t, err)
		_, err = pool.Exec(ctx, `INSERT INTO delivery_deliveries (id, version, party, data) VALUES ($1, $2, $3, $4)`,
			d.ID, d.Version, party.String(), data)
		require.NoError(t, err)
	}

	s := New(pool)
	require.NoError(t, s.Migrate(ctx))
	got, err := s.Get(ctx, letter.ID)
	require.NoError(t, err)
	assert.Equal(t, letter.Document, got.Document, "read whole")
	assert.Equal(t, letter.Attempts, got.Attempts)
	assert.Equal(t, "abc", got.ContentSHA256)
	assert.Equal(t, letter.NextAt, got.NextAt)
	assert.Equal(t, 2, got.EvidenceSeq)
	got, err = s.Get(ctx, bare.ID)
	require.NoError(t, err)
	assert.Equal(t, bare.Document, got.Document)
	page, err := s.Summaries(ctx, delivery.Query{Parties: []delivery.Party{party}})
	require.NoError(t, err)
	require.Len(t, page.Deliveries, 2)
	assert.Equal(t, bare.Summary(), page.Deliveries[0], "the newest first")
	assert.Equal(t, letter.Summary(), page.Deliveries[1], "listed as its summary")
	assert.Empty(t, page.Deliveries[1].ContentSHA256)
}

// A delivery stored before migration 0007 (version, lease, progress and
// due_at in its document's row) keeps them once they move to the queue:
// it is read and listed with the progress of its column, not the stale one
// in its document, and claimed when its lease has run out, not before.
func TestQueueMigrationKeepsProgressAndLease(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 2)
	old := fstest.MapFS{}
	for _, name := range []string{"0001_delivery.sql", "0002_recipient_lists.sql", "0003_lease_columns.sql",
		"0004_hot_claim.sql", "0005_progress.sql", "0006_list_header.sql"} { // before 0007
		b, err := fs.ReadFile(migrations, "migrations/"+name)
		require.NoError(t, err)
		old["migrations/"+name] = &fstest.MapFile{Data: b}
	}
	require.NoError(t, outbox.Migrate(ctx, pool))
	_, err := migrate.Run(ctx, pool, "delivery", old, "migrations")
	require.NoError(t, err)

	party := delivery.Party{Kind: delivery.Person, ID: "85073003328"}
	until := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	stale := delivery.Delivery{ID: uuid.New(), Version: 2, State: delivery.StateActive, EvidenceSeq: 1, EvidenceHead: "e1",
		Attempts:  []delivery.Attempt{{Key: "k", Channel: delivery.ChannelPaper, Status: delivery.StatusQueued}},
		CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Document:  delivery.Document{Party: party, Subject: "Aanslag"}}
	cur := stale
	cur.Version, cur.LeaseID, cur.LeaseUntil = 4, uuid.New(), until
	cur.Attempts = []delivery.Attempt{{Key: "k", Channel: delivery.ChannelPaper, Status: delivery.StatusFailedTemporary, Tries: 1}}
	cur.EvidenceSeq, cur.EvidenceHead, cur.NextAt = 2, "e2", until.Add(-time.Minute)
	data, err := json.Marshal(stale)
	require.NoError(t, err)
	_, head, prog, err := encode(&cur)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO delivery_deliveries (id, version, due_at, party, data, lease_id, lease_until, header, progress)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, cur.ID, cur.Version, cur.DueAt(), party.String(), data, cur.LeaseID, until, head, prog)
	require.NoError(t, err)

	s := New(pool)
	require.NoError(t, s.Migrate(ctx))
	got, err := s.Get(ctx, cur.ID)
	require.NoError(t, err)
	assert.Equal(t, 4, got.Version)
	assert.Equal(t, cur.LeaseID, got.LeaseID)
	assert.True(t, until.Equal(got.LeaseUntil))
	assert.Equal(t, cur.Attempts, got.Attempts)
	assert.Equal(t, 2, got.EvidenceSeq)
	assert.True(t, cur.NextAt.Equal(got.NextAt))
	page, err := s.Summaries(ctx, delivery.Query{Parties: []delivery.Party{party}})
	require.NoError(t, err)
	require.Len(t, page.Deliveries, 1)
	assert.Equal(t, 4, page.Deliveries[0].Version)
	assert.Equal(t, cur.Attempts, page.Deliveries[0].Attempts)

	early, err := s.Claim(ctx, until.Add(-time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, early, "claimed while its lease ran")
	due, err := s.Claim(ctx, until, time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, due, 1)
	assert.Equal(t, 5, due[0].Version)
}
