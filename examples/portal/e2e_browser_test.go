package main

// The helpers of the browser tests in e2e_test.go: a headless Chromium
// driven through the DevTools protocol (chromedp), one browser per flow,
// and the actions a person takes (sign in, follow a link, fill in a field,
// pick an option, submit) with screenshots and accessibility checks along
// the way.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"
)

// stepTimeout bounds every browser step (a navigation, a click and the page
// it loads, a screenshot), so a page that never shows what the test waits
// for fails the test quickly with the step's name instead of hanging.
const stepTimeout = 15 * time.Second

// chromeEnv names the environment variable that points to the browser.
const chromeEnv = "BOUWSTENEN_CHROME"

// artifactsEnv names the directory where the tests keep screenshots.
const artifactsEnv = "BOUWSTENEN_ARTIFACTS"

// findChrome returns the browser to test with: $BOUWSTENEN_CHROME, or the
// first of Debian's chromium, chromium-browser and google-chrome on PATH;
// empty when there is none.
func findChrome() string {
	if p := os.Getenv(chromeEnv); p != "" {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
		return ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// needChrome returns the browser to test with, or skips t when there is
// none.
func needChrome(t *testing.T) string {
	t.Helper()
	path := findChrome()
	switch {
	case path != "":
		return path
	case os.Getenv(chromeEnv) != "":
		t.Skipf("skipping browser test: %s=%s is not a program", chromeEnv, os.Getenv(chromeEnv))
	default:
		t.Skip("skipping browser test: no chromium found; install Debian's chromium or set " + chromeEnv)
	}
	return ""
}

// artifactsDir returns the directory for t's screenshots:
// $BOUWSTENEN_ARTIFACTS/portal-e2e when that is set (CI keeps it), a
// temporary directory otherwise.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		dir = t.TempDir()
	} else {
		dir = filepath.Join(dir, "portal-e2e")
		require.NoError(t, os.MkdirAll(dir, 0o755))
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// tab is the browser tab of one flow, on the portal at base.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	name  string // prefixes the flow's screenshots
	dir   string // where the screenshots go
	shots int
}

// openTab launches a headless Chromium with a fresh profile for the flow
// t, named name (the prefix of its screenshots in dir), on the portal at
// base; it skips t when the machine has no browser. The browser stops when
// t ends.
//
// Each flow has a browser of its own rather than a tab in a shared one:
// that isolates cookies and storage completely, costs about half a second,
// and avoids that with chromedp v0.23.0 a tab opened next to the first one
// hangs on its second navigation.
func openTab(t *testing.T, base, name, dir string) *tab {
	t.Helper()
	path := needChrome(t)
	out := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, // --headless, and hides scrollbars so screenshots are the page alone
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// Cancelling stops the browser and waits for it to exit, before the
	// profile directory (an earlier cleanup) is removed.
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		if t.Failed() {
			t.Logf("browser output:\n%s", out.String())
		}
	})
	// The first action starts the browser. It runs without a deadline,
	// since the context of the first action is the browser's lifetime;
	// chromedp bounds the start itself (20 s to announce its DevTools
	// address).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v\n%s", path, err, out.String())
	}
	// A kept directory holds the screenshots of an earlier run: drop this
	// flow's, so none is left from a step that no longer exists.
	old, err := filepath.Glob(filepath.Join(dir, name+"-*.png"))
	require.NoError(t, err)
	for _, f := range old {
		require.NoError(t, os.Remove(f))
	}
	tb := &tab{t: t, ctx: ctx, base: base, name: name, dir: dir}
	tb.do("set the window size", chromedp.EmulateViewport(1280, 900))
	return tb
}

// runStep runs one action on tb within stepTimeout and returns its value; the
// test stops when it fails.
func runStep[T any](tb *tab, step string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(tb.t, err, "browser step %q on %s", step, tb.location())
	return v
}

// do runs actions that return nothing, in order, within stepTimeout.
func (tb *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	runStep(tb, step, chromedp.Steps(actions...))
}

// location is the tab's current URL, for messages; it never fails the test.
func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return loc
}

// path is the path of the tab's current URL.
func (tb *tab) path() string {
	tb.t.Helper()
	return strings.TrimPrefix(runStep(tb, "read the location", chromedp.Location()), tb.base)
}

// visit loads path as if typed in the address bar, checks the page and
// returns the HTTP status of the document.
func (tb *tab) visit(path string) int {
	tb.t.Helper()
	status := tb.goTo(path)
	tb.checkPage()
	return status
}

// goTo loads path and returns the HTTP status of the document, without
// checking the page.
func (tb *tab) goTo(path string) int {
	tb.t.Helper()
	return int(runStep(tb, "visit "+path, chromedp.NavigateResponse(tb.base+path)).Status)
}

// follow clicks what sel finds (a link, a submit button) and waits for the
// page it leads to; it checks that page and returns its HTTP status, after
// any redirect.
func (tb *tab) follow(sel string) int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	require.NoError(tb.t, err, "click %s on %s", sel, tb.location())
	tb.checkPage()
	return int(resp.Status)
}

// submit presses the submit button of the form that the CSS selector form
// finds, and returns the status of the page that comes back.
func (tb *tab) submit(form string) int {
	tb.t.Helper()
	return tb.follow(form + ` button[type="submit"]`)
}

// fill types value into the text field with the given id, replacing what it
// held: click into it, select all with Ctrl+A, and type, as a person would.
func (tb *tab) fill(id, value string) {
	tb.t.Helper()
	sel := chromedp.ID(id)
	tb.do("fill #"+id,
		chromedp.Click(sel),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\b"), // Backspace: an empty value needs no typing
		chromedp.SendKeys(sel, value),
	)
	got := runStep(tb, "read #"+id, chromedp.Value(sel))
	require.Equal(tb.t, value, got, "field #%s holds what was typed", id)
}

// choose picks the option labelled label in the select with the given id
// with the keyboard: the select gets the focus and the arrow keys move the
// choice to the option, without opening the list. (Typing the label would
// do too, but the browser forgets what was typed after a second's pause,
// which a busy machine can take between two keys.)
func (tb *tab) choose(id, label string) {
	tb.t.Helper()
	sel := chromedp.ID(id)
	steps := runStep(tb, "find the option in #"+id, chromedp.Evaluate[int](fmt.Sprintf(`(s => {
	  const options = Array.from(s.options).filter(o => !o.disabled);
	  const to = options.findIndex(o => o.label === %q);
	  return to < 0 ? 1e6 : to - options.indexOf(s.options[s.selectedIndex]);
	})(document.getElementById(%q))`, label, id)))
	require.Less(tb.t, steps, 1_000_000, "select #%s has an option %q", id, label)
	key := kb.ArrowDown
	if steps < 0 {
		key, steps = kb.ArrowUp, -steps
	}
	tb.do("choose in #"+id, chromedp.Focus(sel), chromedp.KeyEvent(strings.Repeat(key, steps)))
	got := runStep(tb, "read #"+id, chromedp.Evaluate[string](
		fmt.Sprintf(`(s => s.options[s.selectedIndex].label)(document.getElementById(%q))`, id)))
	require.Equal(tb.t, label, got, "select #%s shows the option chosen", id)
}

// click clicks what sel finds, without waiting for a page (a radio button, a
// checkbox, a label).
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// text returns the visible text of the first element sel finds, once it is
// visible.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(runStep(tb, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// texts returns the text of every element sel finds (none: an empty slice).
func (tb *tab) texts(sel string) []string {
	tb.t.Helper()
	return runStep(tb, "read all "+sel, chromedp.Evaluate[[]string](
		fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.innerText.trim())`, sel)))
}

// value returns the current value of the form field with the given id.
func (tb *tab) value(id string) string {
	tb.t.Helper()
	return runStep(tb, "read #"+id, chromedp.Value(chromedp.ID(id)))
}

// attr returns attribute name of the element with the given id ("" when
// it has none).
func (tb *tab) attr(id, name string) string {
	tb.t.Helper()
	return runStep(tb, "read #"+id+" "+name, chromedp.Evaluate[string](
		fmt.Sprintf(`document.getElementById(%q).getAttribute(%q) || ""`, id, name)))
}

// fact returns the value (dd) next to the term (dt) label in a list of facts.
func (tb *tab) fact(label string) string {
	tb.t.Helper()
	return runStep(tb, "read fact "+label, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
	  const dt = Array.from(document.querySelectorAll("dt")).find(e => e.innerText.trim() === %q);
	  const dd = dt && dt.nextElementSibling;
	  return dd ? dd.innerText.trim() : "";
	})()`, label)))
}

// row returns the cells' text of the first table row whose first cell is
// key (a reference), or nil when no row has it.
func (tb *tab) row(key string) []string {
	tb.t.Helper()
	return runStep(tb, "read row "+key, chromedp.Evaluate[[]string](fmt.Sprintf(`(() => {
	  const tr = Array.from(document.querySelectorAll("tbody tr")).find(r => r.cells[0] && (r.cells[0].innerText.trim() === %[1]q || r.cells[r.cells.length-1].innerText.trim() === %[1]q));
	  return tr ? Array.from(tr.cells, c => c.innerText.trim()) : null;
	})()`, key)))
}

// count returns how many elements sel finds.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return runStep(tb, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// signIn signs in as the demo person with the given ID, as a citizen:
// the menu's "Aanmelden" link (unless the tab is on the demo provider's
// page already), then the person's button on the demo provider's page. It
// returns the status of the page the portal leads to.
func (tb *tab) signIn(personID string) int {
	tb.t.Helper()
	return tb.signInFor(personID, "")
}

// signInFor signs in as the demo person for the enterprise with KBO
// number kbo (ten digits; "" as a citizen).
func (tb *tab) signInFor(personID, kbo string) int {
	tb.t.Helper()
	if tb.count(`form.person`) == 0 {
		require.Equal(tb.t, http.StatusOK, tb.follow(`nav a[href^="/aanmelden"]`))
	}
	return tb.follow(fmt.Sprintf(`form.person:has(input[name="sub"][value=%q]) button[value=%q]`, personID, kbo))
}

// signOut presses "Afmelden" in the menu.
func (tb *tab) signOut() {
	tb.t.Helper()
	require.Equal(tb.t, http.StatusOK, tb.submit(`nav form[action="/afmelden"]`))
	require.Contains(tb.t, tb.text(".flash"), "U bent afgemeld.")
}

// screenshot saves a full-page PNG of the tab as <flow>-<nn>-<name>.png in
// the artefacts directory.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	png := runStep(tb, "screenshot "+name, chromedp.FullScreenshot(100))
	tb.shots++
	file := filepath.Join(tb.dir, fmt.Sprintf("%s-%02d-%s.png", tb.name, tb.shots, name))
	require.NoError(tb.t, os.WriteFile(file, png, 0o644))
}

// a11yJS lists what the page breaks of the basic accessibility rules every
// page of the portal keeps: the language is Dutch, there is exactly one h1,
// every form field has a visible label (a <label> or aria-labelledby), and
// every aria-describedby points to an element that exists.
const a11yJS = `(() => {
  const problems = [];
  const lang = document.documentElement.lang;
  if (lang !== "nl") problems.push("html lang is " + JSON.stringify(lang) + ", want \"nl\"");
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(h1 + " h1 elements, want exactly one");
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "[name=" + el.name + "]");
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const labelled = Array.from(el.labels || []).some(l => l.innerText.trim() !== "") ||
      (el.getAttribute("aria-labelledby") || "").split(/\s+/).some(id => id && document.getElementById(id));
    if (!labelled) problems.push(name(el) + " has no label");
  }
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    for (const id of el.getAttribute("aria-describedby").split(/\s+/)) {
      if (id && !document.getElementById(id)) problems.push(name(el) + " is described by #" + id + ", which does not exist");
    }
  }
  return problems;
})()`

// a11yProblems lists what the page the tab shows breaks of the rules of
// a11yJS; none is an empty slice.
func (tb *tab) a11yProblems() []string {
	tb.t.Helper()
	return runStep(tb, "check accessibility", chromedp.Evaluate[[]string](a11yJS))
}

// checkPage checks the basic accessibility rules on the page the tab shows.
// The helpers that load a page call it, so every page a flow visits is
// checked.
func (tb *tab) checkPage() {
	tb.t.Helper()
	if problems := tb.a11yProblems(); len(problems) > 0 {
		tb.t.Errorf("accessibility of %s:\n  %s", tb.location(), strings.Join(problems, "\n  "))
	}
}

// phoneWidth and phoneHeight are the viewport of a common phone, in CSS
// pixels.
const phoneWidth, phoneHeight = 390, 844

// onPhone shows the current page at a phone's width, laid out as a mobile
// browser does, checks that nothing makes it scroll sideways, saves a
// screenshot, and goes back to the desktop width.
func (tb *tab) onPhone(name string) {
	tb.t.Helper()
	tb.phone()
	defer tb.desktop()
	scroll, viewport, wide := tb.overflow()
	require.Equal(tb.t, phoneWidth, viewport, "the page lays out at the phone's width (meta viewport)")
	if scroll > viewport {
		tb.t.Errorf("%s scrolls sideways on a phone: %dpx wide in a %dpx viewport; too wide: %v", tb.location(), scroll, viewport, wide)
	}
	tb.screenshot(name + "-telefoon")
}

// phone emulates a phone's screen, as a mobile browser lays pages out.
func (tb *tab) phone() {
	tb.t.Helper()
	tb.do("phone viewport", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulatePortrait))
}

// desktop goes back to the desktop window size.
func (tb *tab) desktop() {
	tb.t.Helper()
	tb.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
}

// overflow measures the page's width (scroll) against the layout
// viewport's, and names the first elements that stick out.
//
// A mobile browser zooms out to fit a page that is too wide, which widens
// window.innerWidth along with it; the layout viewport
// (documentElement.clientWidth) keeps the phone's width, so that is the
// width to compare with.
func (tb *tab) overflow() (scroll, viewport int, wide []string) {
	tb.t.Helper()
	w := runStep(tb, "measure the page", chromedp.Evaluate[[2]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	scroll, viewport = w[0], w[1]
	if scroll > viewport {
		wide = runStep(tb, "find wide elements", chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll("body *"))
		  .filter(e => e.getBoundingClientRect().right > %d + 0.5)
		  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " to " + Math.round(e.getBoundingClientRect().right) + "px")`, viewport)))
	}
	return scroll, viewport, wide
}

// lockedBuffer collects the browser's output from chromedp's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// setDate sets the date field with the given id to day (yyyy-mm-dd).
// Typing into a date input goes through the browser's date picker, whose
// order of day, month and year follows the browser's locale; setting the
// value from JavaScript is locale-proof, so only date inputs are filled
// this way.
func (tb *tab) setDate(id, day string) {
	tb.t.Helper()
	require.Equal(tb.t, "date", tb.attr(id, "type"), "#%s is a date input", id)
	tb.do("set #"+id, chromedp.SetValue(chromedp.ID(id), day))
	require.Equal(tb.t, day, tb.value(id), "date field #%s holds the day", id)
}

// imageLoaded waits until the image with the given id has finished loading
// and reports whether it loaded (has a width of its own) rather than broke.
func (tb *tab) imageLoaded(id string) bool {
	tb.t.Helper()
	runStep(tb, "wait for image #"+id, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById(%q).complete`, id)))
	return runStep(tb, "measure image #"+id, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).naturalWidth > 0`, id)))
}
