package web

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

// dossierSections asks every block for its section of "Mijn dossiers" at
// the same time, and returns them in the order the blocks were added. In
// PostgreSQL each section is a query or two; asked one after the other, a
// request waits for the sum of their round trips, asked at once for the
// slowest. The sections' reads are gathered (pggather): the stores send
// the first read of every section together, the permits' records with
// them (pggather.Split), in one round trip (in memory there is nothing
// to gather).
// The first block to fail cancels the others' context, and its error is
// the one returned. A panicking block is an error (logged with its
// stack), not a crash of the whole server: the recoverer middleware only
// sees panics of the request's own goroutine.
func (s *Server) dossierSections(ctx context.Context, v frontoffice.Visitor) ([]frontoffice.DossierSection, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	secs := make([]frontoffice.DossierSection, len(s.dossiers))
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	gathered := pggather.Gather(ctx, len(s.dossiers))
	for i, b := range s.dossiers {
		wg.Go(func() {
			ctx := gathered[i]
			defer pggather.Done(ctx)
			defer func() {
				if p := recover(); p != nil {
					s.log.Error("panic", "in", fmt.Sprintf("%T.Dossiers", b), "panic", p, "stack", string(debug.Stack()))
					once.Do(func() { first = fmt.Errorf("web: %T.Dossiers panicked: %v", b, p); cancel() })
				}
			}()
			sec, err := b.Dossiers(ctx, v)
			if err != nil {
				once.Do(func() { first = err; cancel() })
				return
			}
			secs[i] = sec
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return secs, nil
}
