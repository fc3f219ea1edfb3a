package main

import (
	"context"
	"crypto/subtle"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lokaalbestuur/bouwstenen/casefile/address"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/casefile/photo/photoblob"
)

// caseOptions are the settings of the report pages ("meldingen").
type caseOptions struct {
	// PhotoURL is where photos are kept: a gocloud.dev/blob URL such as
	// "file:///var/lib/portal/photos?create_dir=true"; "mem://" keeps
	// them in memory (the default).
	PhotoURL string
	// TileURL is the map tiles' URL template; empty shows no map.
	TileURL string
	// Register looks addresses up in Basisregisters Vlaanderen instead of
	// the demo gazetteer.
	Register bool
	// Open311Key is the API key that may file reports over Open311.
	Open311Key string
}

// defaultTiles are OpenStreetMap's tiles (mind its tile usage policy).
const defaultTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// DemoOpen311Key is the demo's API key for filing reports over Open311.
const DemoOpen311Key = "demogem-open311-demo"

type caseOptsKey struct{}

// withCaseOpts passes the report pages' settings from the flags to newApp.
func withCaseOpts(ctx context.Context, o caseOptions) context.Context {
	return context.WithValue(ctx, caseOptsKey{}, o)
}

// caseOpts are the settings in ctx, or the defaults: photos in memory, the
// OpenStreetMap tiles, the demo gazetteer and the demo Open311 key.
func caseOpts(ctx context.Context) caseOptions {
	o, ok := ctx.Value(caseOptsKey{}).(caseOptions)
	if !ok {
		o = caseOptions{TileURL: defaultTiles}
	}
	if o.PhotoURL == "" {
		o.PhotoURL = "mem://"
	}
	if o.Open311Key == "" {
		o.Open311Key = DemoOpen311Key
	}
	return o
}

// photoURLIn is the photo folder under dir, the portal's data directory.
func photoURLIn(dir string) (string, error) {
	abs, err := filepath.Abs(filepath.Join(dir, "photos"))
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", err
	}
	return "file://" + filepath.ToSlash(abs) + "?create_dir=true", nil
}

// caseDeps opens the photo store and picks the address look-up.
func (a *app) caseDeps(ctx context.Context, o caseOptions) error {
	a.opts = o
	b, err := photoblob.OpenBucket(ctx, o.PhotoURL)
	if err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	a.photos = b
	if o.Register {
		a.addresses = &address.Register{Municipality: a.town.Name}
	} else {
		a.addresses = address.DemogemGazetteer()
	}
	return nil
}

// open311Public is what anyone sees of each category over Open311: street
// lighting, roads and traffic signs in full (where and what), waste and
// greenery without the reporter's words or exact address; nuisance and
// "other" not at all, as they may say who a neighbour is.
var open311Public = map[string]open311.Disclosure{
	"street_lighting": open311.Full, "roads": open311.Full, "traffic_signs": open311.Full,
	"waste": open311.Summary, "greenery": open311.Summary,
}

// open311Keys lets key file reports and see every category in full.
func open311Keys(key string) func(context.Context, string) (open311.Access, error) {
	return func(_ context.Context, k string) (open311.Access, error) {
		if k != "" && subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			return open311.Access{Post: true, Private: true}, nil
		}
		return open311.Access{}, nil
	}
}
