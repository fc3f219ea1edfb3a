package delivery

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
//
// A PrintBatch from OpenPrintSpool keeps every letter in a folder: Send
// returns only once the letter is on disk, so a process that dies between
// sending and WriteZip loses none (the next process over the folder writes
// them). One from NewPrintBatch keeps letters in memory and loses them with
// the process: for tests and demos only.
type PrintBatch struct {
	clock   clock.Clock
	spool   *spool // nil: in memory
	mu      sync.Mutex
	pending []PrintItem
	known   map[string]Receipt
	seq     int
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

// NewPrintBatch returns an empty paper channel that keeps its letters in
// memory: a process that dies before WriteZip loses them. Use
// OpenPrintSpool in production.
func NewPrintBatch(c clock.Clock) *PrintBatch {
	return &PrintBatch{clock: c, known: map[string]Receipt{}}
}

// OpenPrintSpool returns a paper channel that keeps its letters in dir
// (created when missing), with the letters a previous process left there
// pending again. Only one process may use a folder at a time.
func OpenPrintSpool(dir string, c clock.Clock) (*PrintBatch, error) {
	sp, letters, handed, err := openSpool(dir)
	if err != nil {
		return nil, err
	}
	b := &PrintBatch{clock: c, spool: sp, known: map[string]Receipt{}}
	for _, key := range handed {
		b.known[key] = Receipt{ProviderRef: "print-" + key, Status: StatusSent}
	}
	for _, l := range letters {
		l.Item.message = l.Message
		b.pending = append(b.pending, l.Item)
		b.known[l.Item.Key] = l.Receipt
		b.seq = max(b.seq, l.Item.Seq)
	}
	b.seq = max(b.seq, sp.lastSeq)
	return b, nil
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
	it := PrintItem{Seq: b.seq + 1, Key: m.IdempotencyKey, DocumentID: m.DocumentID, Registered: m.Registered,
		AddressBlock: block, Subject: m.Subject, message: m}
	r := Receipt{ProviderRef: "print-" + m.IdempotencyKey, Status: StatusSent, At: b.clock.Now()}
	if b.spool != nil {
		if err := b.spool.put(spooled{Item: it, Message: m, Receipt: r}); err != nil {
			return Receipt{}, fmt.Errorf("%w: print spool: %w", ErrTemporary, err)
		}
	}
	b.seq++
	b.pending = append(b.pending, it)
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

// WriteZip writes the pending letters as one batch archive. The batch is
// named by its date and the sequence number of its first letter, unique
// across restarts of a spool.
//
// In memory, the letters leave the batch at once. With a spool they stay in
// it until HandedOver says the archive is stored where the mail provider
// gets it: a process that dies before that writes them again in its next
// batch (the manifest's keys let the provider drop a repeat), so no letter
// is ever in neither a stored archive nor the spool. WriteZipFile does both
// steps for an archive kept as a file.
func (b *PrintBatch) WriteZip(w io.Writer) (PrintManifest, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	first := b.seq + 1
	if len(b.pending) > 0 {
		first = b.pending[0].Seq
	}
	m := PrintManifest{Batch: fmt.Sprintf("%s-%06d", calendar.DateIn(now), first), CreatedAt: now, Count: len(b.pending)}
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
	if b.spool == nil {
		b.pending = nil
	}
	return m, nil
}

// HandedOver takes the letters of a batch WriteZip wrote out of the spool,
// once its archive is stored; their keys stay known, so a resend is not
// printed again. In memory it does nothing.
func (b *PrintBatch) HandedOver(m PrintManifest) error {
	if b.spool == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	done := make(map[int]bool, len(m.Items))
	for _, it := range m.Items {
		done[it.Seq] = true
	}
	var gone, kept []PrintItem
	for _, it := range b.pending {
		if done[it.Seq] {
			gone = append(gone, it)
		} else {
			kept = append(kept, it)
		}
	}
	if err := b.spool.handOver(gone); err != nil {
		return fmt.Errorf("print spool: %w", err)
	}
	b.pending = kept
	return nil
}

// WriteZipFile writes the batch archive to path (through a temporary file,
// synced and renamed) and only then takes its letters out of the spool.
func (b *PrintBatch) WriteZipFile(path string) (PrintManifest, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return PrintManifest{}, err
	}
	m, err := b.WriteZip(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return PrintManifest{}, err
	}
	return m, b.HandedOver(m)
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
