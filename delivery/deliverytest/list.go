package deliverytest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
)

// testDocuments checks the front office's lists: a recipient's documents
// (of one party or several), newest first, page by page, and everyone's.
func testDocuments(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	empty, err := svc.Documents(ctx, delivery.Query{Parties: []delivery.Party{Person}})
	require.NoError(t, err)
	assert.Empty(t, empty.Deliveries)
	assert.Empty(t, empty.Next)

	// Submitted in this order: P E P P E P E (P: the person, E: the enterprise).
	var person, enterprise, all []uuid.UUID
	ics := delivery.Attachment{Name: "afspraak.ics", ContentType: "text/calendar", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}
	for _, p := range []delivery.Party{Person, Enterprise, Person, Person, Enterprise, Person, Enterprise} {
		doc := Doc(p)
		doc.Metadata = map[string]string{"link": "/dossier/" + doc.ID.String()}
		doc.Attachments = []delivery.Attachment{ics}
		_, err := svc.Submit(ctx, doc)
		require.NoError(t, err)
		if p == Person {
			person = append([]uuid.UUID{doc.ID}, person...)
		} else {
			enterprise = append([]uuid.UUID{doc.ID}, enterprise...)
		}
		all = append([]uuid.UUID{doc.ID}, all...)
	}
	// A repeated submit adds nothing to the lists.
	again, err := svc.Delivery(ctx, person[0])
	require.NoError(t, err)
	_, err = svc.Submit(ctx, again.Document)
	require.NoError(t, err)

	// list walks the pages of Documents, and those of Summaries beside
	// them: the same deliveries, without body and attachments.
	list := func(q delivery.Query) []uuid.UUID {
		t.Helper()
		var out []uuid.UUID
		for pages := 0; pages < 10; pages++ {
			p, err := svc.Documents(ctx, q)
			require.NoError(t, err)
			sums, err := svc.Summaries(ctx, q)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(p.Deliveries), q.PageSize())
			require.Len(t, sums.Deliveries, len(p.Deliveries), "Summaries lists what Documents lists")
			assert.Equal(t, p.Next, sums.Next, "and pages it alike")
			for i, d := range p.Deliveries {
				out = append(out, d.ID)
				assert.Equal(t, "/dossier/"+d.ID.String(), d.Document.Metadata["link"], "metadata listed")
				assert.Equal(t, "Uw aanslag", d.Document.Body, "Documents lists the body")
				assert.Equal(t, []delivery.Attachment{ics}, d.Document.Attachments, "and the attachments")
				assert.Equal(t, d.Summary(), sums.Deliveries[i], "Summaries lists each delivery's summary")
				assert.Empty(t, sums.Deliveries[i].Document.Body)
				assert.Empty(t, sums.Deliveries[i].Document.Attachments)
			}
			if p.Next == "" {
				return out
			}
			q.Cursor = p.Next
		}
		t.Fatal("too many pages")
		return nil
	}
	for _, size := range []int{0, 1, 2, 3, 4} {
		assert.Equal(t, person, list(delivery.Query{Parties: []delivery.Party{Person}, Limit: size}), "person, pages of %d", size)
		assert.Equal(t, enterprise, list(delivery.Query{Parties: []delivery.Party{Enterprise}, Limit: size}), "enterprise, pages of %d", size)
		assert.Equal(t, all, list(delivery.Query{Parties: []delivery.Party{Person, Enterprise}, Limit: size}), "both, pages of %d", size)
		assert.Equal(t, all, list(delivery.Query{Parties: []delivery.Party{Enterprise, Person, Enterprise}, Limit: size}), "both, named twice, pages of %d", size)
		assert.Equal(t, all, list(delivery.Query{Limit: size}), "everyone, pages of %d", size)
	}
	p, err := svc.Documents(ctx, delivery.Query{Parties: []delivery.Party{Person}, Limit: 3})
	require.NoError(t, err)
	require.Len(t, p.Deliveries, 3)
	assert.Equal(t, person[:3], []uuid.UUID{p.Deliveries[0].ID, p.Deliveries[1].ID, p.Deliveries[2].ID})
	assert.NotEmpty(t, p.Next, "a fourth document follows")

	_, err = svc.Documents(ctx, delivery.Query{Cursor: "x"})
	assert.ErrorIs(t, err, delivery.ErrValidation, "a cursor the listing never handed out")
	_, err = svc.Summaries(ctx, delivery.Query{Cursor: "x"})
	assert.ErrorIs(t, err, delivery.ErrValidation, "a cursor Summaries never handed out")
	whole, err := svc.Delivery(ctx, person[0])
	require.NoError(t, err)
	assert.Equal(t, "Uw aanslag", whole.Document.Body, "a summary listed leaves the delivery whole")
	assert.Equal(t, []delivery.Attachment{ics}, whole.Document.Attachments)
	_, err = svc.Documents(ctx, delivery.Query{Parties: []delivery.Party{Person, {Kind: delivery.Person, ID: "1"}}})
	var verr *delivery.ValidationError
	require.ErrorAs(t, err, &verr, "not a party")
	require.Len(t, verr.Fields, 1)
	assert.Equal(t, "parties[1].id", verr.Fields[0].Field, "named by its JSON path")
	// A change shows in the next summaries (a store that remembers decoded
	// summaries must not show an earlier version), and a caller that
	// changes a listed summary changes nothing stored.
	clk := clock.NewSettable(Start)
	var chans []delivery.Channel
	for _, k := range []delivery.ChannelKind{delivery.ChannelBurgerprofiel, delivery.ChannelEBox, delivery.ChannelEmail, delivery.ChannelPaper} {
		chans = append(chans, delivery.NewSimulatedChannel(k, clk))
	}
	_, err = dispatcher(s, clk, chans...).Step(ctx)
	require.NoError(t, err)
	first, err := svc.Summaries(ctx, delivery.Query{Parties: []delivery.Party{Person}, Limit: 1})
	require.NoError(t, err)
	require.Len(t, first.Deliveries, 1)
	require.NotEmpty(t, first.Deliveries[0].Attempts)
	for range 2 { // the same summary again, read as a store remembers it
		p, err := svc.Summaries(ctx, delivery.Query{Parties: []delivery.Party{Person}, Limit: 1})
		require.NoError(t, err)
		require.Equal(t, first, p)
		p.Deliveries[0].Document.Metadata["link"] = "changed by the caller"
		p.Deliveries[0].Attempts[0].Status = delivery.StatusFailedPermanent
	}
	require.NoError(t, svc.HandleStatus(ctx, delivery.StatusUpdate{Key: first.Deliveries[0].Attempts[0].Key, Status: delivery.StatusRead, At: Start.Add(time.Minute)}))
	changed, err := svc.Delivery(ctx, person[0])
	require.NoError(t, err)
	again2, err := svc.Summaries(ctx, delivery.Query{Parties: []delivery.Party{Person}, Limit: 1})
	require.NoError(t, err)
	require.Len(t, again2.Deliveries, 1)
	assert.Equal(t, changed.Summary(), again2.Deliveries[0], "the summary after the change")
	assert.Equal(t, delivery.StatusRead, again2.Deliveries[0].Attempts[0].Status)
	assert.Equal(t, "/dossier/"+person[0].String(), again2.Deliveries[0].Document.Metadata["link"])

	many := make([]delivery.Party, delivery.MaxParties+1)
	for i := range many {
		many[i] = Person
	}
	_, err = svc.Summaries(ctx, delivery.Query{Parties: many})
	require.ErrorAs(t, err, &verr, "too many parties")
	assert.Equal(t, "parties", verr.Fields[0].Field)
}
