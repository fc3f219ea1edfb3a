package delivery_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestPrintBatch(t *testing.T) {
	ctx := context.Background()
	b := delivery.NewPrintBatch(clock.NewSettable(t0))
	abroad := pii.Address{Street: "Rue de la Loi", Number: "16", Box: "3", PostalCode: "75001", Municipality: "Paris", Country: "FR"}
	m1 := delivery.Message{DocumentID: uuid.New(), Subject: "Aanslag", Body: "Tekst", Registered: true,
		Recipient:   delivery.Recipient{Party: deliverytest.Person, Name: pii.Name{Given: "An", Family: "Peeters"}, Address: &deliverytest.Address},
		Attachments: []delivery.Attachment{{Name: "../aanslag.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7")}}}
	m1.IdempotencyKey = delivery.IdempotencyKey(m1.DocumentID, delivery.ChannelPaper)
	m2 := delivery.Message{DocumentID: uuid.New(), Subject: "Brief", Recipient: delivery.Recipient{Party: deliverytest.Person, Address: &abroad}}
	m2.IdempotencyKey = delivery.IdempotencyKey(m2.DocumentID, delivery.ChannelPaper)
	r1, err := b.Send(ctx, m1)
	require.NoError(t, err)
	again, err := b.Send(ctx, m1)
	require.NoError(t, err)
	assert.Equal(t, r1, again)
	_, err = b.Send(ctx, m2)
	require.NoError(t, err)
	_, err = b.Send(ctx, delivery.Message{IdempotencyKey: "x"})
	assert.ErrorIs(t, err, delivery.ErrPermanent)
	assert.ErrorIs(t, err, delivery.ErrNoPostalAddress)
	assert.Equal(t, 2, b.Pending())

	var buf bytes.Buffer
	man, err := b.WriteZip(&buf)
	require.NoError(t, err)
	assert.Equal(t, 0, b.Pending())
	assert.Equal(t, 2, man.Count)
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		require.NoError(t, err)
		files[f.Name], err = io.ReadAll(r)
		require.NoError(t, err)
	}
	var got delivery.PrintManifest
	require.NoError(t, json.Unmarshal(files["manifest.json"], &got))
	require.Len(t, got.Items, 2)
	assert.Equal(t, []string{"An Peeters", "Grote Markt 1", "9000 GENT"}, got.Items[0].AddressBlock)
	assert.Equal(t, []string{"Rue de la Loi 16 bus 3", "75001 PARIS", "FR"}, got.Items[1].AddressBlock)
	assert.True(t, got.Items[0].Registered)
	assert.Equal(t, []string{"00001-letter.txt", "00001-01-.._aanslag.pdf"}, got.Items[0].Files)
	assert.Equal(t, []byte("%PDF-1.7"), files["00001-01-.._aanslag.pdf"])
	assert.Contains(t, string(files["00001-letter.txt"]), "9000 GENT")

	// A resend after handover is recognised, not printed again.
	_, err = b.Send(ctx, m1)
	require.NoError(t, err)
	assert.Equal(t, 0, b.Pending())
	st, err := b.Status(ctx, m1.IdempotencyKey)
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusSent, st)
}

func TestPrintSpoolKeepsLettersAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clk := clock.NewSettable(t0)
	letter := func() delivery.Message {
		m := delivery.Message{DocumentID: uuid.New(), Subject: "Aanslag", Body: "Tekst",
			Recipient: delivery.Recipient{Party: deliverytest.Person, Name: pii.Name{Given: "An", Family: "Peeters"}, Address: &deliverytest.Address}}
		m.IdempotencyKey = delivery.IdempotencyKey(m.DocumentID, delivery.ChannelPaper)
		return m
	}
	m1, m2, m3 := letter(), letter(), letter()
	b, err := delivery.OpenPrintSpool(dir, clk)
	require.NoError(t, err)
	for _, m := range []delivery.Message{m1, m2} {
		_, err = b.Send(ctx, m)
		require.NoError(t, err)
	}

	// The process dies; the next one over the folder has both letters.
	b, err = delivery.OpenPrintSpool(dir, clk)
	require.NoError(t, err)
	assert.Equal(t, 2, b.Pending())
	_, err = b.Send(ctx, m1)
	require.NoError(t, err)
	assert.Equal(t, 2, b.Pending(), "a resend of a spooled letter is recognised")
	var buf bytes.Buffer
	first, err := b.WriteZip(&buf)
	require.NoError(t, err)
	assert.Equal(t, 2, first.Count)
	assert.Equal(t, "Aanslag", first.Items[0].Subject)

	// The process dies before the archive is stored: the letters are still
	// in the spool, and the next process writes them again.
	b, err = delivery.OpenPrintSpool(dir, clk)
	require.NoError(t, err)
	assert.Equal(t, 2, b.Pending(), "an archive not yet stored hands over nothing")
	first, err = b.WriteZipFile(filepath.Join(t.TempDir(), "batch.zip"))
	require.NoError(t, err)
	assert.Equal(t, 2, first.Count)
	assert.Equal(t, 0, b.Pending())

	// After handover, a new process knows the keys and numbers on.
	b, err = delivery.OpenPrintSpool(dir, clk)
	require.NoError(t, err)
	assert.Equal(t, 0, b.Pending())
	_, err = b.Send(ctx, m2)
	require.NoError(t, err)
	assert.Equal(t, 0, b.Pending(), "a letter already in a batch is not printed again")
	_, err = b.Send(ctx, m3)
	require.NoError(t, err)
	second, err := b.WriteZip(&bytes.Buffer{})
	require.NoError(t, err)
	require.NoError(t, b.HandedOver(second))
	assert.Equal(t, 0, b.Pending())
	require.Len(t, second.Items, 1)
	assert.Equal(t, 3, second.Items[0].Seq)
	assert.NotEqual(t, first.Batch, second.Batch, "batch names stay unique across restarts")
}
