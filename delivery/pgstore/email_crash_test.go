package pgstore_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/crashtest"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// The e-mail crash test runs a dispatcher in a child process against a
// real SMTP server in this one, and kills the child with SIGKILL right
// after the server accepted a message, before the child could record it.
const (
	mailChildEnv  = "BOUWSTENEN_MAIL_CRASH_CHILD"
	mailSchemaEnv = "BOUWSTENEN_MAIL_CRASH_SCHEMA"
	mailAddrEnv   = "BOUWSTENEN_MAIL_CRASH_SMTP"
	mailSpoolEnv  = "BOUWSTENEN_MAIL_CRASH_SPOOL"
)

// TestMailCrashChild is the child's body; it does nothing in a normal run.
// It dispatches until the queue is empty, with short leases so that a
// delivery its killed predecessor held is taken over quickly.
func TestMailCrashChild(t *testing.T) {
	if os.Getenv(mailChildEnv) == "" {
		t.Skip("runs only as the child of the e-mail crash test")
	}
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = os.Getenv(mailSchemaEnv)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	defer pool.Close()
	paper, err := delivery.OpenPrintSpool(os.Getenv(mailSpoolEnv), clock.Real{})
	require.NoError(t, err)
	d := &delivery.Dispatcher{Store: pgstore.New(pool), Lease: 2 * time.Second, Batch: 4,
		Channels: map[delivery.ChannelKind]delivery.Channel{
			delivery.ChannelEmail: &delivery.EmailChannel{Addr: os.Getenv(mailAddrEnv), From: "noreply@gemeente.be",
				Domain: "gemeente.be", AllowPlaintext: true, Timeout: 5 * time.Second},
			delivery.ChannelPaper: paper,
		}}
	for {
		n, err := d.Step(ctx)
		require.NoError(t, err)
		if n == 0 {
			fmt.Printf("drained, %d letters\n", paper.Pending())
			return
		}
	}
}

// mailSink is a plain SMTP server that keeps the Message-ID of every
// message it accepted, and tells accepted when the first one is in.
type mailSink struct {
	ln       net.Listener
	mu       sync.Mutex
	ids      []string
	accepted chan struct{}
	once     sync.Once
}

func startMailSink(t *testing.T) *mailSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &mailSink{ln: ln, accepted: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(c) })
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return s
}

func (s *mailSink) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	r := bufio.NewReader(c)
	say := func(l string) { _, _ = io.WriteString(c, l+"\r\n") }
	say("220 sink ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case strings.HasPrefix(cmd, "MAIL FROM:"), strings.HasPrefix(cmd, "RCPT TO:"):
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			msg, err := mail.ReadMessage(strings.NewReader(b.String()))
			if err != nil {
				say("554 bad message")
				continue
			}
			s.mu.Lock()
			s.ids = append(s.ids, msg.Header.Get("Message-ID"))
			s.mu.Unlock()
			say("250 queued")
			s.once.Do(func() { close(s.accepted) })
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

func (s *mailSink) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ids...)
}

func TestEmailSurvivesAKilledDispatcher(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 4)
	s := pgstore.New(pool)
	require.NoError(t, s.Migrate(ctx))
	svc := delivery.NewService(s, clock.Real{}, nil)
	rule := deliverytest.TaxRule()
	rule.RequireVerifiedEmail = false
	_, err := svc.PutRule(ctx, rule)
	require.NoError(t, err)
	_, err = svc.ChangePreference(ctx, deliverytest.Person, "burger", func(p *delivery.Preference) error {
		p.Preferred, p.Email, p.Address = delivery.ChannelEmail, "an@example.be", &deliverytest.Address
		p.Consents = append(p.Consents, delivery.Consent{Channel: delivery.ChannelEmail, Given: true, At: time.Now(), Source: "webform"})
		return nil
	})
	require.NoError(t, err)
	const docs = 12
	var queued []uuid.UUID
	for range docs {
		d, err := svc.Submit(ctx, deliverytest.Doc(deliverytest.Person))
		require.NoError(t, err)
		queued = append(queued, d.ID)
	}
	sink := startMailSink(t)
	schema, spool := pgtest.Schema(t, pool), t.TempDir()
	start := func() (*exec.Cmd, *bufio.Scanner) {
		return crashtest.Start(t, "TestMailCrashChild", mailChildEnv+"=1", mailSchemaEnv+"="+schema,
			mailAddrEnv+"="+sink.ln.Addr().String(), mailSpoolEnv+"="+spool)
	}

	// First life: killed as soon as the server accepted a message, so at
	// least that one was sent and not recorded.
	cmd, _ := start()
	select {
	case <-sink.accepted:
	case <-time.After(30 * time.Second):
		t.Fatal("no message reached the server")
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	killedAfter := len(sink.received())

	// Second life, once the dead dispatcher's leases ran out.
	time.Sleep(2500 * time.Millisecond)
	cmd, out := start()
	assert.Equal(t, "drained, 0 letters", crashtest.Line(t, out, "drained"), "no e-mail fell back to paper")
	require.NoError(t, cmd.Wait())

	ids := sink.received()
	perID := map[string]int{}
	for _, id := range ids {
		perID[id]++
	}
	assert.Len(t, perID, docs, "every document was e-mailed, none lost")
	assert.GreaterOrEqual(t, len(ids), docs)
	t.Logf("killed after %d accepted messages; %d messages for %d documents in all", killedAfter, len(ids), docs)
	for _, id := range queued {
		d, err := svc.Delivery(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, delivery.ChannelEmail, d.Current().Channel)
		assert.Equal(t, delivery.StatusSent, d.Current().Status, "recorded as sent once the restart resent it")
	}
}
