package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// EmailChannel sends documents as e-mail over SMTP with STARTTLS, the body
// as text and each attachment as a MIME part. The Message-ID is ours,
// derived from the idempotency key, so a resend after a crash carries the
// same Message-ID and receiving systems can drop the duplicate. SMTP itself
// cannot refuse a duplicate; within one process the channel remembers what
// it sent and does not send a key twice.
//
// E-mail cannot report delivery or reading; reading is never detected with a
// tracking pixel. The fallback timer of the category applies.
type EmailChannel struct {
	// Addr is the SMTP server, host:port.
	Addr string
	// From is the sender address, e.g. "noreply@gemeente.be".
	From string
	// Domain is the right-hand side of our Message-IDs.
	Domain string
	// TLS configures STARTTLS; nil uses the host name of Addr.
	TLS *tls.Config
	// AllowPlaintext permits a server without STARTTLS (tests, local relay).
	AllowPlaintext bool
	Auth           smtp.Auth
	Clock          clock.Clock
	Timeout        time.Duration

	mu   sync.Mutex
	sent map[string]Receipt
}

// Kind implements Channel.
func (e *EmailChannel) Kind() ChannelKind { return ChannelEmail }

// MessageID returns the Message-ID used for an idempotency key.
func (e *EmailChannel) MessageID(key string) string { return "<" + key + "@" + e.Domain + ">" }

// Send implements Channel.
func (e *EmailChannel) Send(ctx context.Context, m Message) (Receipt, error) {
	to := string(m.Recipient.Email)
	if !validEmail(to) {
		return Receipt{}, fmt.Errorf("%w: %w", ErrPermanent, ErrNoEmail)
	}
	e.mu.Lock()
	if r, ok := e.sent[m.IdempotencyKey]; ok {
		e.mu.Unlock()
		return r, nil
	}
	e.mu.Unlock()
	body, err := e.compose(m)
	if err != nil {
		return Receipt{}, fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	if err := e.deliver(ctx, to, body); err != nil {
		return Receipt{}, classifySMTP(err)
	}
	r := Receipt{ProviderRef: e.MessageID(m.IdempotencyKey), Status: StatusSent, At: e.now()}
	e.mu.Lock()
	if e.sent == nil {
		e.sent = map[string]Receipt{}
	}
	e.sent[m.IdempotencyKey] = r
	e.mu.Unlock()
	return r, nil
}

// Status implements Channel: sent for what this process sent.
func (e *EmailChannel) Status(_ context.Context, key string) (Status, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.sent[key]; !ok {
		return "", ErrUnknownMessage
	}
	return StatusSent, nil
}

func (e *EmailChannel) now() time.Time {
	if e.Clock == nil {
		return time.Now()
	}
	return e.Clock.Now()
}

func (e *EmailChannel) deliver(ctx context.Context, to string, msg []byte) error {
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", e.Addr)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	host, _, _ := net.SplitHostPort(e.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello(e.Domain); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := e.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return err
		}
	} else if !e.AllowPlaintext {
		return fmt.Errorf("%w: server %s offers no STARTTLS", ErrTemporary, host)
	}
	if e.Auth != nil {
		if err := c.Auth(e.Auth); err != nil {
			return err
		}
	}
	if err := c.Mail(e.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	// The server answered 250 to the end of DATA: the message is
	// delivered. A failure on QUIT (a dropped connection) must not make it
	// a failure, or the retry would send it again.
	_ = c.Quit()
	return nil
}

// classifySMTP maps SMTP reply codes: 5xx is permanent, the rest temporary.
func classifySMTP(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return fmt.Errorf("%w: smtp %d", ErrPermanent, tp.Code)
	}
	if errors.Is(err, ErrTemporary) || errors.Is(err, ErrPermanent) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrTemporary, err)
}

func (e *EmailChannel) compose(m Message) ([]byte, error) {
	for _, s := range []string{e.From, string(m.Recipient.Email)} {
		if strings.ContainsAny(s, "\r\n") {
			return nil, errors.New("header injection refused")
		}
	}
	var b bytes.Buffer
	boundary := "=_" + strings.ReplaceAll(m.IdempotencyKey, ".", "_")
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", e.From)
	hdr("To", string(m.Recipient.Email))
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", e.now().Format(time.RFC1123Z))
	hdr("Message-ID", e.MessageID(m.IdempotencyKey))
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\n--" + boundary + "\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(m.Body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		b.WriteString("\r\n--" + boundary + "\r\n")
		b.WriteString("Content-Type: " + ct + "\r\nContent-Transfer-Encoding: base64\r\n")
		b.WriteString("Content-Disposition: " + mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}) + "\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	b.WriteString("\r\n--" + boundary + "--\r\n")
	return b.Bytes(), nil
}
