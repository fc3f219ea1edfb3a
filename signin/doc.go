// Package signin is an OpenID Connect relying party ("aanmelden"): a front
// office signs people in with a government or other OpenID provider and
// gets back who they are and in which capacity ("hoedanigheid") they act —
// as a citizen ("burger") or for an enterprise ("namens een onderneming").
// It needs no web framework, no session store and nothing else of this
// SDK's front office: any net/http site can use it.
//
// # The flow
//
//	rp, err := signin.New(ctx, signin.Config{
//		Issuer:       "https://authenticatie.vlaanderen.be/op",
//		ClientID:     clientID,
//		ClientSecret: os.Getenv("OIDC_CLIENT_SECRET"),
//		RedirectURL:  "https://loket.gemeente.be/aanmelden/terug",
//		Scopes:       signin.ACMIDMScopes,
//		Claims:       signin.ACMIDM,
//		CookieKey:    cookieKey, // 32 random bytes, the same on every instance
//		PostLogoutRedirectURL: "https://loket.gemeente.be/",
//	})
//
//	// GET /aanmelden?terug=/mijn/dossiers
//	err = rp.Start(w, r, r.URL.Query().Get("terug"))
//
//	// GET /aanmelden/terug (the RedirectURL)
//	id, returnTo, err := rp.Callback(w, r)
//	if err != nil { show signin.Message(err) with status 400; sign nobody in }
//	// create the session with id (only now), then redirect to returnTo
//
//	// sign-out: end the local session first, then
//	if u := rp.LogoutURL(id.IDToken, ""); u != "" { redirect to u }
//
// Start uses the authorization code flow with PKCE (S256), a random state
// and nonce. What Callback needs to check the answer — state, nonce, PKCE
// verifier, return path — is kept, for at most ten minutes (PendingTTL), in
// a cookie sealed with AES-GCM under a key derived from Config.CookieKey
// and bound to the state, so an anonymous visitor needs no server-side
// session. The cookie's name carries the state, so a visitor may have
// sign-ins under way in several tabs (at most MaxPending; Start clears the
// oldest and the expired). Callback clears the cookie and records the
// state in a ReplayGuard, so a callback is good once: a replayed one is
// refused even by a browser or attacker that kept the cookie. The default
// guard remembers in memory, per process; instances behind a load balancer
// share the cookie key and should share one guard too (signin/pgstore
// keeps one in PostgreSQL). Without a shared
// guard a callback replayed on another instance still fails, one step
// later, because the provider redeems a code only once.
//
// The ID token is verified with github.com/coreos/go-oidc/v3 against the
// provider's discovery document and keys (JWKS). When the provider rotates
// its keys, a token with a key ID not yet seen makes the key set be fetched
// again; once it has been, a token signed with a withdrawn key is refused. Issuer, audience,
// authorised party (azp), signature and access-token hash are checked, and
// expiry, issue time and not-before with Config.Skew (one minute by
// default, five at most) of tolerance for clocks that differ. Config.UserInfo
// fetches claims the token lacks from the UserInfo endpoint (whose subject
// must be the token's; the token's own claims win).
//
// Every failure is one of the package's error kinds (ErrState, ErrNonce,
// ErrToken, ErrExpired, ErrNoPendingSignIn, ErrProvider, ErrClaims,
// ErrCapacity, ErrReturnTo, ErrConfig), matched with errors.Is, and comes
// with a zero Identity. Message gives the Dutch sentence for the page.
// The return path must be a path of this site (LocalPath): the sign-in is
// no open redirect.
//
// # The result
//
// An Identity holds the subject, the names, the national register number
// (pii.INSZ, "rijksregisternummer"), the Capacity (BUR citizen, EA economic
// actor, or another target group's code as sent), the Organisation for
// every capacity but a citizen's (for an economic actor its enterprise
// number, checked mod 97) and the Mandate when the person acts as legal
// representative or under a mandate. Identity implements slog.LogValuer
// and fmt.Stringer with the personal data masked, and never prints the raw
// ID token it keeps for the logout hint. The capacity always comes from
// the verified token: CapacityHint only asks the provider to preselect one.
// Roles holds the application roles when ClaimMapping.Roles names their
// claim (in ACM/IDM "<toepassing>_rol_3d", agreed in the integration file).
//
// # ACM/IDM, the Flemish government's provider
//
// ACM/IDM ("Vlaams Toegangsbeheer") is an OpenID provider; its discovery
// document names the authorization, token, keys and end-session endpoints.
// Issuers: https://authenticatie.vlaanderen.be/op (production) and
// https://authenticatie-ti.vlaanderen.be/op (test and integration) —
// https://authenticatie.vlaanderen.be/docs/beveiligen-van-toepassingen/integratie-methoden/oauth/technische-info/discovery-url/
//
// Scopes and claims (ACMIDM and ACMIDMScopes) —
// https://authenticatie.vlaanderen.be/docs/beveiligen-van-toepassingen/integratie-methoden/oidc/technische-info/scope-claims/ :
// openid gives sub (the PersoonsID), profile gives given_name and
// family_name, rrn gives rrn (the national register number), vo gives
// vo_doelgroepcode (GID, EA, LB, OV, BUR), vo_orgcode (the chosen
// organisation's KBO number, OVO code or institution number) and
// vo_orgnaam; the scope wettelijkvertegenwoordiger gives wv_orgcode and
// ssm_mandaat gives ssm_mandaatgever. Asking for a scope the client has
// not been granted makes ACM/IDM refuse the request at once.
//
// Target groups ("doelgroepen") and the organisation key of each —
// https://authenticatie.vlaanderen.be/docs/beveiligen-van-toepassingen/doelgroepen/ :
// BUR citizens, EA enterprises and other organisations with a KBO number,
// LB local governments, GID Flemish government entities (OVO code), OV
// education institutions. An application can let people choose a target
// group or one organisation.
//
// Logout ("afmelden") is the end_session_endpoint with client_id (required
// with a post-logout URI), post_logout_redirect_uri and state —
// https://authenticatie.vlaanderen.be/docs/beveiligen-van-toepassingen/integratie-methoden/oauth/technische-info/afmelden/ ;
// switching capacity ("switch identiteit") is the same endpoint with the
// parameter switch (SwitchCapacityURL) —
// https://authenticatie.vlaanderen.be/docs/beveiligen-van-toepassingen/integratie-methoden/oauth/technische-info/switch-identiteit/ ;
// signing in directly in a capacity ("gericht aanmelden") sends a login_hint
// with cap_hint and code_hint (CapacityHint) —
// https://authenticatie.vlaanderen.be/docs/beveiligen-van-toepassingen/integratie-methoden/oauth/technische-info/gericht-aanmelden/
//
// What a municipality asks for. A client is made by the integration team
// after an integration file ("integratiedossier") is drawn up with them
// (count two to three weeks) —
// https://authenticatie.vlaanderen.be/docs/beveiligen-van-toepassingen/integratie-methoden/oauth/integratieproces/ .
// Put in it:
//   - the callback (redirect) URI: Config.RedirectURL, for instance
//     https://loket.gemeente.be/aanmelden/terug, one per environment;
//   - the post-logout URI: Config.PostLogoutRedirectURL;
//   - the scopes: openid, profile, rrn, vo (and wettelijkvertegenwoordiger
//     or ssm_mandaat where mandates matter);
//   - the target groups and how people choose (BUR, and EA at
//     organisation level for an enterprise counter, "ondernemersloket");
//   - client authentication with a secret (client_secret_basic), which
//     this package uses.
//
// ACM/IDM then sends the client ID and secret; give them to Config (the
// secret from the environment, never in a file under version control).
//
// # Other providers
//
// Any OpenID provider with a discovery document works: set Issuer, the
// scopes it needs, and a ClaimMapping naming its claims (Standard for just
// sub, given_name and family_name, everyone a citizen).
package signin
