package delivery

import (
	"context"
	"sync"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
)

// Mijn Burgerprofiel and eBox are reached through the Flemish and federal
// message platforms, which need an agreement and credentials this SDK does
// not have. An adapter for either implements Channel:
//
//   - Send posts the message to the platform's message API with the
//     idempotency key as the sender's message reference, and returns the
//     platform's message ID as ProviderRef;
//   - the platform's status callbacks (delivered, read when the citizen
//     opens the message in the portal) are fed to Service.HandleStatus;
//   - Status polls the platform for platforms without callbacks.
//
// SimulatedChannel stands in for them in examples and tests.

// SimulatedChannel is a simulated channel: it sends nothing anywhere. It
// accepts every message, is idempotent by key, and remembers what it got,
// so tests and examples can see exactly what a real platform would have
// received. Use it for Mijn Burgerprofiel and eBox until a real adapter
// exists; never in production.
type SimulatedChannel struct {
	kind  ChannelKind
	clock clock.Clock
	mu    sync.Mutex
	sent  map[string]Message
	read  map[string]bool
	calls int
	// Fail, when set, is returned by Send for messages it selects.
	Fail func(m Message) error
}

// NewSimulatedChannel returns a simulated channel of the given kind.
func NewSimulatedChannel(kind ChannelKind, c clock.Clock) *SimulatedChannel {
	return &SimulatedChannel{kind: kind, clock: c, sent: map[string]Message{}}
}

// Kind implements Channel.
func (s *SimulatedChannel) Kind() ChannelKind { return s.kind }

// Send implements Channel.
func (s *SimulatedChannel) Send(_ context.Context, m Message) (Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.Fail != nil {
		if err := s.Fail(m); err != nil {
			return Receipt{}, err
		}
	}
	if _, ok := s.sent[m.IdempotencyKey]; !ok {
		s.sent[m.IdempotencyKey] = m
	}
	return Receipt{ProviderRef: "sim-" + m.IdempotencyKey, Status: StatusDelivered, At: s.now()}, nil
}

func (s *SimulatedChannel) now() time.Time {
	if s.clock == nil {
		return time.Now()
	}
	return s.clock.Now()
}

// Status implements Channel.
func (s *SimulatedChannel) Status(_ context.Context, key string) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sent[key]; !ok {
		return "", ErrUnknownMessage
	}
	if s.read[key] {
		return StatusRead, nil
	}
	return StatusDelivered, nil
}

// MarkRead simulates the recipient opening the message in the portal.
func (s *SimulatedChannel) MarkRead(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.read == nil {
		s.read = map[string]bool{}
	}
	s.read[key] = true
}

// NewSimulatedBurgerprofiel returns a simulated Mijn Burgerprofiel channel.
func NewSimulatedBurgerprofiel(c clock.Clock) *SimulatedChannel {
	return NewSimulatedChannel(ChannelBurgerprofiel, c)
}

// NewSimulatedEBox returns a simulated eBox channel.
func NewSimulatedEBox(c clock.Clock) *SimulatedChannel { return NewSimulatedChannel(ChannelEBox, c) }

// Delivered returns how many distinct messages the channel accepted.
func (s *SimulatedChannel) Delivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// Calls returns how many times Send was called, duplicates included.
func (s *SimulatedChannel) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}
