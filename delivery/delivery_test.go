package delivery

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestRecipientForMatchesPostalFormat(t *testing.T) {
	for _, a := range []pii.Address{
		{Street: "Grote Markt", Number: "1", PostalCode: "9000", Municipality: "Gent"},
		{Street: "Rue de la Loi", Number: "16", Box: "3", PostalCode: "75001", Municipality: "Liège", Country: "FR"},
	} {
		d := Delivery{Recipient: Recipient{Party: Party{Kind: Person, ID: "85073003328"}, Address: &a, Email: "a@b.be"}}
		assert.Equal(t, "person:85073003328 / "+strings.Join(a.Lines(), " / "), d.recipientFor(ChannelPaper))
		assert.Equal(t, "person:85073003328 <a@b.be>", d.recipientFor(ChannelEmail))
		assert.Equal(t, "person:85073003328", d.recipientFor(ChannelEBox))
	}
	id := uuid.New()
	assert.Equal(t, id.String()+".paper", IdempotencyKey(id, ChannelPaper))
}
