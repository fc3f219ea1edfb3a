package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/examples/portal/demo"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/session"
)

// sectionBlock is a block whose section of "Mijn dossiers" is what dossiers
// returns.
type sectionBlock struct {
	dossiers func(ctx context.Context) (frontoffice.DossierSection, error)
}

func (sectionBlock) Register(*http.ServeMux) {}

func (b sectionBlock) Dossiers(ctx context.Context, _ frontoffice.Visitor) (frontoffice.DossierSection, error) {
	return b.dossiers(ctx)
}

func titled(title string) sectionBlock {
	return sectionBlock{func(context.Context) (frontoffice.DossierSection, error) {
		return frontoffice.DossierSection{Title: title}, nil
	}}
}

func newSectionServer(t *testing.T, blocks ...Block) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s, err := New(Deps{Log: slog.New(slog.NewTextHandler(&logs, nil)), Town: demo.Town(),
		Sessions: &session.Manager{Store: session.NewMemStore()}, SignIn: noProvider{}, Secret: bytes.Repeat([]byte("k"), 32)})
	require.NoError(t, err)
	s.Add(blocks...)
	return s, &logs
}

func TestDossierSectionsAreAskedAtOnceAndKeepTheirOrder(t *testing.T) {
	// Each of the first two blocks waits until the other has been asked:
	// asked one after the other, the first would wait for ever.
	var started sync.WaitGroup
	started.Add(2)
	waiting := func(title string) sectionBlock {
		return sectionBlock{func(ctx context.Context) (frontoffice.DossierSection, error) {
			started.Done()
			done := make(chan struct{})
			go func() { started.Wait(); close(done) }()
			select {
			case <-done:
				return frontoffice.DossierSection{Title: title}, nil
			case <-time.After(5 * time.Second):
				return frontoffice.DossierSection{}, errors.New(title + " was asked alone")
			}
		}}
	}
	s, _ := newSectionServer(t, waiting("Meldingen"), waiting("Facturen"), titled("Post"))
	secs, err := s.dossierSections(context.Background(), frontoffice.Visitor{})
	require.NoError(t, err)
	var titles []string
	for _, sec := range secs {
		titles = append(titles, sec.Title)
	}
	assert.Equal(t, []string{"Meldingen", "Facturen", "Post"}, titles, "in the order the blocks were added")
}

func TestDossierSectionsFailWithTheFirstErrorAndCancelTheRest(t *testing.T) {
	broken := errors.New("store unreachable")
	cancelled := make(chan error, 1)
	s, _ := newSectionServer(t,
		sectionBlock{func(ctx context.Context) (frontoffice.DossierSection, error) {
			select {
			case <-ctx.Done():
				cancelled <- ctx.Err()
				return frontoffice.DossierSection{}, ctx.Err()
			case <-time.After(5 * time.Second):
				cancelled <- nil
				return frontoffice.DossierSection{Title: "slow"}, nil
			}
		}},
		sectionBlock{func(context.Context) (frontoffice.DossierSection, error) { return frontoffice.DossierSection{}, broken }},
	)
	_, err := s.dossierSections(context.Background(), frontoffice.Visitor{})
	assert.ErrorIs(t, err, broken, "the error of the block that failed, not the cancellation it caused")
	assert.ErrorIs(t, <-cancelled, context.Canceled, "the slow block was told to stop")
}

func TestDossierSectionPanicIsAnErrorNotACrash(t *testing.T) {
	s, logs := newSectionServer(t, titled("Meldingen"), sectionBlock{func(context.Context) (frontoffice.DossierSection, error) {
		panic("a block's bug")
	}})
	_, err := s.dossierSections(context.Background(), frontoffice.Visitor{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "panicked")
	assert.Contains(t, logs.String(), "a block's bug", "the log has the panic")
}
