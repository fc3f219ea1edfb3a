package event

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type moved struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func TestDecode(t *testing.T) {
	e := Event{ID: uuid.New(), Type: "x.moved", Time: time.Now(), Payload: moved{"a", "b"}}
	got, err := Decode[moved](e)
	require.NoError(t, err)
	assert.Equal(t, moved{"a", "b"}, got)

	e.Payload = &moved{"c", "d"}
	got, err = Decode[moved](e)
	require.NoError(t, err)
	assert.Equal(t, "d", got.To)

	raw, err := json.Marshal(moved{"e", "f"})
	require.NoError(t, err)
	e.Payload = json.RawMessage(raw)
	got, err = Decode[moved](e)
	require.NoError(t, err)
	assert.Equal(t, "f", got.To)

	e.Payload = json.RawMessage(`{"from":`)
	_, err = Decode[moved](e)
	assert.Error(t, err)

	e.Payload = 42
	_, err = Decode[moved](e)
	assert.Error(t, err)
}

func TestRecorderAndFanout(t *testing.T) {
	var a, b Recorder
	s := Fanout{&a, &b, Discard}
	require.NoError(t, s.Publish(context.Background(), Event{Type: "one"}, Event{Type: "two"}))
	assert.Equal(t, []string{"one", "two"}, a.Types())
	assert.Len(t, b.Events(), 2)
	a.Reset()
	assert.Empty(t, a.Events())
}
