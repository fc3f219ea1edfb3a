package pgstore_test

import (
	"context"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/signin"
	"github.com/lokaalbestuur/bouwstenen/signin/pgstore"
)

// Every instance of a site opens the same database and gives its relying
// party the shared guard (and the same cookie key).
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	guard, err := pgstore.New(ctx, pool, nil)
	if err != nil {
		log.Fatal(err)
	}
	rp, err := signin.New(ctx, signin.Config{
		Issuer:       "https://authenticatie.vlaanderen.be/op",
		ClientID:     os.Getenv("OIDC_CLIENT_ID"),
		ClientSecret: os.Getenv("OIDC_CLIENT_SECRET"),
		RedirectURL:  "https://loket.gemeente.be/aanmelden/terug",
		Scopes:       signin.ACMIDMScopes,
		Claims:       signin.ACMIDM,
		CookieKey:    []byte(os.Getenv("SIGNIN_COOKIE_KEY")),
		Replay:       guard,
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = rp
}
