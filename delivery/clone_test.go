package delivery_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestCloneSharesNothing(t *testing.T) {
	d := delivery.Delivery{
		Document: delivery.Document{
			Attachments: []delivery.Attachment{{Name: "a.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}},
			Metadata:    map[string]string{"link": "/a"},
		},
		Recipient: delivery.Recipient{Address: &pii.Address{Street: "Kerkstraat"}},
		Rule:      delivery.Rule{Allowed: []delivery.ChannelKind{delivery.ChannelEmail}},
		Decision:  delivery.Decision{Consent: &delivery.Consent{Channel: delivery.ChannelEmail}, Rejected: []delivery.Rejection{{Channel: delivery.ChannelPaper}}},
		Attempts:  []delivery.Attempt{{Channel: delivery.ChannelEmail}},
	}
	c := d.Clone()
	c.Document.Attachments[0].Data[0] = 'X'
	c.Document.Attachments[0].Name = "b.pdf"
	c.Document.Metadata["link"] = "/b"
	c.Recipient.Address.Street = "Markt"
	c.Rule.Allowed[0] = delivery.ChannelPaper
	c.Decision.Consent.Channel = delivery.ChannelPaper
	c.Decision.Rejected[0].Channel = delivery.ChannelEmail
	c.Attempts[0].Channel = delivery.ChannelPaper

	assert.Equal(t, "%PDF", string(d.Document.Attachments[0].Data))
	assert.Equal(t, "a.pdf", d.Document.Attachments[0].Name)
	assert.Equal(t, "/a", d.Document.Metadata["link"])
	assert.Equal(t, "Kerkstraat", d.Recipient.Address.Street)
	assert.Equal(t, delivery.ChannelEmail, d.Rule.Allowed[0])
	assert.Equal(t, delivery.ChannelEmail, d.Decision.Consent.Channel)
	assert.Equal(t, delivery.ChannelPaper, d.Decision.Rejected[0].Channel)
	assert.Equal(t, delivery.ChannelEmail, d.Attempts[0].Channel)
}
