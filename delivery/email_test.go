package delivery_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// smtpServer is a minimal SMTP server (RFC 5321 subset with STARTTLS) run by
// the test, so the e-mail channel talks to a real server over a real socket.
type smtpServer struct {
	ln  net.Listener
	tls *tls.Config
	// dropOnQuit makes the server close the connection instead of
	// answering QUIT, as a server that crashes after accepting a message.
	dropOnQuit bool
	mu         sync.Mutex
	msgs       []received
	wg         sync.WaitGroup
}

type received struct {
	from, to string
	tls      bool
	data     string
}

func startSMTP(t *testing.T, cfg *tls.Config, opts ...func(*smtpServer)) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &smtpServer{ln: ln, tls: cfg}
	for _, o := range opts {
		o(s)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.serve(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer func() { c.Close() }()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(l string) { io.WriteString(c, l+"\r\n") }
	say("220 test ESMTP")
	var cur received
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(line)
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			if s.tls != nil && !cur.tls {
				say("250-test\r\n250-8BITMIME\r\n250 STARTTLS")
			} else {
				say("250-test\r\n250 8BITMIME")
			}
		case cmd == "STARTTLS" && s.tls != nil:
			say("220 go ahead")
			tc := tls.Server(c, s.tls)
			if tc.Handshake() != nil {
				return
			}
			c, r, cur.tls = tc, bufio.NewReader(tc), true
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			cur.from = strings.Trim(line[10:], "<> ")
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			cur.to = strings.Trim(line[8:], "<> ")
			switch {
			case strings.HasPrefix(cur.to, "bounce@"):
				say("550 no such user")
			case strings.HasPrefix(cur.to, "busy@"):
				say("451 try later")
			default:
				say("250 ok")
			}
		case cmd == "DATA":
			say("354 end with .")
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
			cur.data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			if s.dropOnQuit {
				return
			}
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}, pool
}

func emailMessage(to string) delivery.Message {
	m := delivery.Message{DocumentID: uuid.New(), Subject: "Uw aanslag – 2026", Body: "Beste,\nzie bijlage. Één regel met accenten.",
		Recipient:   delivery.Recipient{Party: deliverytest.Person, Email: "x@example.be"},
		Attachments: []delivery.Attachment{{Name: "aanslag.pdf", ContentType: "application/pdf", Data: []byte(strings.Repeat("%PDF", 100))}}}
	if to != "" {
		m.Recipient.Email = pii.Email(to)
	}
	m.IdempotencyKey = delivery.IdempotencyKey(m.DocumentID, delivery.ChannelEmail)
	return m
}

func TestEmailChannelSMTP(t *testing.T) {
	serverTLS, roots := selfSigned(t)
	srv := startSMTP(t, serverTLS)
	ch := &delivery.EmailChannel{Addr: srv.ln.Addr().String(), From: "noreply@gemeente.be", Domain: "gemeente.be",
		TLS: &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}, Clock: clock.NewSettable(t0)}
	ctx := context.Background()
	m := emailMessage("")
	r, err := ch.Send(ctx, m)
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusSent, r.Status)
	assert.Equal(t, "<"+m.IdempotencyKey+"@gemeente.be>", r.ProviderRef)
	again, err := ch.Send(ctx, m)
	require.NoError(t, err)
	assert.Equal(t, r, again)

	got := srv.received()
	require.Len(t, got, 1, "sent once")
	assert.True(t, got[0].tls, "STARTTLS used")
	assert.Equal(t, "x@example.be", got[0].to)
	msg, err := mail.ReadMessage(strings.NewReader(got[0].data))
	require.NoError(t, err)
	assert.Equal(t, r.ProviderRef, msg.Header.Get("Message-ID"))
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, m.Subject, subj)
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	p, err := mr.NextPart()
	require.NoError(t, err)
	body, _ := io.ReadAll(p)
	assert.Equal(t, m.Body, strings.ReplaceAll(string(body), "\r\n", "\n"), "mail lines end in CRLF")
	p, err = mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "aanslag.pdf", p.FileName())
	assert.Equal(t, "application/pdf", p.Header.Get("Content-Type"))

	// Reply codes map to the error classes.
	_, err = ch.Send(ctx, emailMessage("bounce@example.be"))
	assert.ErrorIs(t, err, delivery.ErrPermanent)
	_, err = ch.Send(ctx, emailMessage("busy@example.be"))
	assert.ErrorIs(t, err, delivery.ErrTemporary)
	_, err = ch.Send(ctx, emailMessage("not an address"))
	assert.ErrorIs(t, err, delivery.ErrPermanent)

	// A server without STARTTLS is refused unless plaintext is allowed.
	plain := startSMTP(t, nil)
	pc := &delivery.EmailChannel{Addr: plain.ln.Addr().String(), From: "noreply@gemeente.be", Domain: "gemeente.be"}
	_, err = pc.Send(ctx, emailMessage(""))
	assert.ErrorIs(t, err, delivery.ErrTemporary)
	assert.Empty(t, plain.received())
	pc.AllowPlaintext = true
	_, err = pc.Send(ctx, emailMessage(""))
	require.NoError(t, err)
	assert.Len(t, plain.received(), 1)
}

// TestEmailAcceptedThenDroppedIsSent: once the server answered 250 to the
// end of DATA the message is delivered; a connection dropped on QUIT must
// not make it a failure, or the retry sends it again.
func TestEmailAcceptedThenDroppedIsSent(t *testing.T) {
	srv := startSMTP(t, nil, func(s *smtpServer) { s.dropOnQuit = true })
	ch := &delivery.EmailChannel{Addr: srv.ln.Addr().String(), From: "noreply@gemeente.be", Domain: "gemeente.be",
		AllowPlaintext: true, Clock: clock.NewSettable(t0)}
	r, err := ch.Send(context.Background(), emailMessage(""))
	require.NoError(t, err)
	assert.Equal(t, delivery.StatusSent, r.Status)
	assert.Len(t, srv.received(), 1)
}
