package cases

import (
	"context"
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/address"
	"github.com/lokaalbestuur/bouwstenen/casefile/open311"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// open311Handler is the Open311 GeoReport v2 endpoint at /open311/v2/ for
// the reports ("meldingen"): anyone reads what Open311Public allows, an API
// key with Post files reports, and each client (by API key, else by
// address) is held to Open311Rate requests a second.
func (a *Block) open311Handler() http.Handler {
	h := &open311.Handler{
		Service: a.cases, Type: "meldingen", Agency: a.deps.Agency,
		Public: a.deps.Open311Public, Keys: a.deps.Open311Keys,
		Notice: "Uw melding is ontvangen; u volgt ze op met het nummer.",
	}
	if a.deps.Addresses != nil {
		h.Addresses = reverser{a.deps.Addresses}
	}
	rate := a.deps.Open311Rate
	if rate <= 0 {
		rate = 5
	}
	return open311.RateLimit(http.StripPrefix("/open311/v2", h), rate, 20, open311.ClientKey, nil)
}

// reverser gives the Open311 endpoint the address of a point.
type reverser struct{ l address.Lookup }

func (r reverser) Reverse(ctx context.Context, p casefile.Point) (pii.Address, error) {
	ad, err := r.l.Reverse(ctx, p.Lat, p.Lon)
	if err != nil {
		return pii.Address{}, err
	}
	return pii.Address{Street: ad.Street, Number: ad.Number, Box: ad.Box, PostalCode: ad.PostalCode, Municipality: ad.Municipality}, nil
}
