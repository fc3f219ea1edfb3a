package delivery

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// PrintBatch is the paper channel: it collects letters into a print batch
// for a mail provider ("drukkerij", "postdienstverlener"). WriteZip hands the
// batch over as one archive holding each document and its attachments plus
// a manifest with the address blocks in the Belgian postal format.
//
// Send is idempotent by key while the batch is open and for keys already
// handed over, so a resend after a crash never prints a letter twice.
type PrintBatch struct {
	clock   clock.Clock
	mu      sync.Mutex
	pending []PrintItem
	known   map[string]Receipt
	batches int
}

// PrintItem is one letter in a batch.
type PrintItem struct {
	Seq        int       `json:"seq"`
	Key        string    `json:"key"`
	DocumentID uuid.UUID `json:"document_id"`
	Registered bool      `json:"registered"`
	// AddressBlock is the window-envelope address: name, then street and
	// number with "bus" for the box, then postal code and MUNICIPALITY,
	// then the country for addresses abroad.
	AddressBlock []string `json:"address_block"`
	Subject      string   `json:"subject"`
	Files        []string `json:"files"`
	message      Message
}

// PrintManifest describes a batch for the mail provider.
type PrintManifest struct {
	Batch     string      `json:"batch"`
	CreatedAt time.Time   `json:"created_at"`
	Count     int         `json:"count"`
	Items     []PrintItem `json:"items"`
}

// NewPrintBatch returns an empty paper channel.
func NewPrintBatch(c clock.Clock) *PrintBatch {
	return &PrintBatch{clock: c, known: map[string]Receipt{}}
}

// Kind implements Channel.
func (b *PrintBatch) Kind() ChannelKind { return ChannelPaper }

// AddressBlock returns the address block of a recipient in the Belgian
// postal format, or nil without a postal address.
func AddressBlock(r Recipient) []string {
	if r.Address == nil {
		return nil
	}
	block := make([]string, 0, 4)
	if n := r.Name.String(); n != "" {
		block = append(block, n)
	}
	return append(block, r.Address.Lines()...)
}

// Send implements Channel.
func (b *PrintBatch) Send(_ context.Context, m Message) (Receipt, error) {
	block := AddressBlock(m.Recipient)
	if block == nil {
		return Receipt{}, fmt.Errorf("%w: %w", ErrPermanent, ErrNoPostalAddress)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if r, ok := b.known[m.IdempotencyKey]; ok {
		return r, nil
	}
	it := PrintItem{Seq: len(b.pending) + 1, Key: m.IdempotencyKey, DocumentID: m.DocumentID, Registered: m.Registered,
		AddressBlock: block, Subject: m.Subject, message: m}
	b.pending = append(b.pending, it)
	r := Receipt{ProviderRef: "print-" + m.IdempotencyKey, Status: StatusSent, At: b.clock.Now()}
	b.known[m.IdempotencyKey] = r
	return r, nil
}

// Status implements Channel. A print batch knows only that a letter was
// handed over; "returned" comes back from the mail provider as a callback.
func (b *PrintBatch) Status(_ context.Context, key string) (Status, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.known[key]; !ok {
		return "", ErrUnknownMessage
	}
	return StatusSent, nil
}

// Pending returns how many letters wait for the next WriteZip.
func (b *PrintBatch) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// WriteZip writes the pending letters as one batch archive and empties the
// batch. On a write error the letters stay pending.
func (b *PrintBatch) WriteZip(w io.Writer) (PrintManifest, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	b.batches++
	m := PrintManifest{Batch: fmt.Sprintf("%s-%03d", calendar.DateIn(now), b.batches), CreatedAt: now, Count: len(b.pending)}
	z := zip.NewWriter(w)
	for _, it := range b.pending {
		base := fmt.Sprintf("%05d", it.Seq)
		files := []string{base + "-letter.txt"}
		letter := strings.Join(it.AddressBlock, "\n") + "\n\n" + it.message.Subject + "\n\n" + it.message.Body + "\n"
		if err := writeZipFile(z, files[0], []byte(letter)); err != nil {
			return PrintManifest{}, err
		}
		for i, a := range it.message.Attachments {
			name := fmt.Sprintf("%s-%02d-%s", base, i+1, safeName(a.Name))
			if err := writeZipFile(z, name, a.Data); err != nil {
				return PrintManifest{}, err
			}
			files = append(files, name)
		}
		it.Files = files
		m.Items = append(m.Items, it)
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return PrintManifest{}, err
	}
	if err := writeZipFile(z, "manifest.json", js); err != nil {
		return PrintManifest{}, err
	}
	if err := z.Close(); err != nil {
		return PrintManifest{}, err
	}
	b.pending = nil
	return m, nil
}

func writeZipFile(z *zip.Writer, name string, data []byte) error {
	f, err := z.Create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' || r == ':' {
			return '_'
		}
		return r
	}, s)
}
