package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/session"
	"github.com/lokaalbestuur/bouwstenen/signin"
)

// SignIn is where the portal's visitors sign in: an OpenID provider,
// through the relying party of package signin. In production that is one
// provider (ACM/IDM, or another); the demo embeds its own.
type SignIn interface {
	// RP returns the relying party for the request. The demo, which runs
	// its provider under the portal's own address, may make one per host.
	RP(r *http.Request) (*signin.RP, error)
}

// The sign-in routes.
const (
	signInPath   = frontoffice.SignInPath // where the blocks send a visitor who is not signed in
	callbackPath = "/aanmelden/terug"     // the redirect URI registered with the provider
	signOutPath  = "/afmelden"
	switchPath   = "/hoedanigheid-wisselen"
)

// errCapacityNotServed is a capacity the portal has no front door for
// (a local government, a school ...): only citizens and enterprises.
var errCapacityNotServed = errors.New("web: capacity not served by this portal")

// signInStart sends the visitor to the provider. ?terug= is the local path
// to come back to (anything else is ignored: no open redirect); ?als=
// onderneming asks the provider to offer the enterprise capacity first,
// which is only a hint: the capacity is what the token asserts.
func (s *Server) signInStart(w http.ResponseWriter, r *http.Request) {
	rp, err := s.signIn.RP(r)
	if err != nil {
		s.log.Error("sign-in unavailable", "err", err)
		s.Message(w, r, http.StatusServiceUnavailable, "Aanmelden lukt niet", signin.Message(signin.ErrConfig))
		return
	}
	q := r.URL.Query()
	back, err := signin.LocalPath(q.Get("terug"))
	if err != nil {
		back = "/"
	}
	var opts []signin.StartOption
	if q.Get("als") == "onderneming" {
		opts = append(opts, signin.CapacityHint(signin.CapacityEconomicActor, ""))
	}
	if err := rp.Start(w, r, back, opts...); err != nil {
		s.Message(w, r, http.StatusBadRequest, "Aanmelden lukt niet", signin.Message(err))
	}
}

// signInCallback checks the provider's answer (package signin: state,
// PKCE, the ID token's signature, issuer, audience, expiry and nonce) and
// only then creates the session; on any failure nobody is signed in and
// the visitor reads a Dutch page. A visitor who was signed in as the same
// person switched capacity: the session is renewed (a new token, the same
// absolute deadline); anyone else gets a new session.
func (s *Server) signInCallback(w http.ResponseWriter, r *http.Request) {
	rp, err := s.signIn.RP(r)
	if err != nil {
		s.log.Error("sign-in unavailable", "err", err)
		s.Message(w, r, http.StatusServiceUnavailable, "Aanmelden lukt niet", signin.Message(signin.ErrConfig))
		return
	}
	id, back, err := rp.Callback(w, r)
	if err != nil {
		s.log.Warn("sign-in refused", "err", err)
		s.Message(w, r, http.StatusBadRequest, "Aanmelden mislukt", signin.Message(err))
		return
	}
	data, err := s.dataOf(id)
	if err != nil {
		s.log.Warn("sign-in refused", "identity", id, "err", err)
		s.Message(w, r, http.StatusForbidden, "Aanmelden mislukt",
			"U kunt dit loket alleen gebruiken als burger of namens een onderneming. Meld u opnieuw aan en kies een van die twee.")
		return
	}
	if old, ok := sessionOf(r); ok && old.Subject == data.Subject {
		_, err = s.sessions.Renew(w, r, data)
	} else {
		err = session.ErrNoSession
	}
	if errors.Is(err, session.ErrNoSession) {
		_, err = s.sessions.Create(w, r, data)
	}
	if err != nil {
		s.serverError(w, r, err.Error())
		return
	}
	v := visitorOf(data)
	msg := "U bent aangemeld als " + v.Name().String()
	if v.Enterprise != nil {
		msg += ", namens " + v.Enterprise.Name
	}
	s.flash.add(w, r, msg+".")
	s.log.Info("signed in", "visitor", v)
	if back == "/" {
		back = "/mijn-dossiers"
		if data.Clerk {
			back = "/balie"
		}
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// dataOf is the session of a verified identity: a citizen, or a person for
// the enterprise the token asserts (its KBO number and name, never a form
// field). Other capacities are refused.
func (s *Server) dataOf(id signin.Identity) (session.Data, error) {
	d := session.Data{Subject: id.Subject, GivenName: id.GivenName, FamilyName: id.FamilyName, INSZ: id.INSZ,
		IDToken: id.IDToken, Clerk: s.clerkRole != "" && id.HasRole(s.clerkRole)}
	switch id.Capacity {
	case signin.CapacityCitizen:
	case signin.CapacityEconomicActor:
		if id.Organisation == nil {
			return session.Data{}, errCapacityNotServed
		}
		kbo, ok := id.Organisation.EnterpriseNumber()
		if !ok {
			return session.Data{}, errCapacityNotServed
		}
		d.EnterpriseKBO, d.EnterpriseName = kbo, id.Organisation.Name
	default:
		return session.Data{}, errCapacityNotServed
	}
	return d, nil
}

// signOut ends the session here, then at the provider when it supports
// RP-initiated logout: it sends the browser back to the home page.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	sess, ok := sessionOf(r)
	if err := s.sessions.Destroy(w, r); err != nil {
		s.serverError(w, r, err.Error())
		return
	}
	s.flash.add(w, r, "U bent afgemeld.")
	if ok && sess.Data.IDToken != "" {
		if rp, err := s.signIn.RP(r); err == nil {
			if u := rp.LogoutURL(sess.Data.IDToken, ""); u != "" {
				http.Redirect(w, r, u, http.StatusSeeOther)
				return
			}
		}
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// switchCapacity starts a new sign-in at the provider, which asks again as
// whom the person signs in ("als burger", "namens een onderneming"). The
// current session stays until the provider answers; the callback then
// renews it with the capacity the new token asserts. Nothing the visitor
// sends chooses the capacity here.
func (s *Server) switchCapacity(w http.ResponseWriter, r *http.Request) {
	rp, err := s.signIn.RP(r)
	if err != nil {
		s.log.Error("sign-in unavailable", "err", err)
		s.Message(w, r, http.StatusServiceUnavailable, "Aanmelden lukt niet", signin.Message(signin.ErrConfig))
		return
	}
	back, err := signin.LocalPath(r.PostFormValue("terug"))
	if err != nil {
		back = "/"
	}
	if err := rp.Start(w, r, back, signin.AuthParam("prompt", "login")); err != nil {
		s.Message(w, r, http.StatusBadRequest, "Wisselen lukt niet", signin.Message(err))
	}
}

// enterpriseDoor is the ondernemersloket's front door: an entrepreneur
// signs in "namens een onderneming" here; signed in for one, they go to the
// enterprise's dossiers.
func (s *Server) enterpriseDoor(w http.ResponseWriter, r *http.Request) {
	if v, ok := frontoffice.VisitorFrom(r.Context()); ok && v.Enterprise != nil {
		http.Redirect(w, r, "/mijn-dossiers", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "ondernemers.html", "Ondernemersloket", title{})
}

// signInRedirects adds ?terug= to a block's redirect of an anonymous
// visitor to the sign-in page, so the sign-in returns to the page they
// asked for.
type signInRedirects struct {
	http.ResponseWriter
	r *http.Request
}

func (w signInRedirects) WriteHeader(status int) {
	if status == http.StatusSeeOther || status == http.StatusFound {
		if w.Header().Get("Location") == signInPath && w.r.Method == http.MethodGet {
			w.Header().Set("Location", signInPath+"?terug="+url.QueryEscape(w.r.URL.RequestURI()))
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w signInRedirects) Unwrap() http.ResponseWriter { return w.ResponseWriter }
