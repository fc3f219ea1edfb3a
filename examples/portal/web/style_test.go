package web

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// luminance is the relative luminance of an sRGB colour "#rrggbb" (WCAG 2.1).
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	require.Len(t, hex, 6, hex)
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		require.NoError(t, err)
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func TestContrastMatchesWCAGExamples(t *testing.T) {
	assert.InDelta(t, 21, contrast(t, "#000000", "#ffffff"), 0.01)
	assert.InDelta(t, 1.64, contrast(t, "#ffbf47", "#ffffff"), 0.01, "the old focus ring on white, as the issue measured it")
}

var (
	commentRE    = regexp.MustCompile(`(?s)/\*.*?\*/`)
	ruleRE       = regexp.MustCompile(`([^{}]+)\{([^}]*)\}`)
	outlineRE    = regexp.MustCompile(`outline:\s*(\d+)px\s+solid\s+(#[0-9a-fA-F]{3,6})`)
	backgroundRE = regexp.MustCompile(`background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})`)
	varRE        = regexp.MustCompile(`--([a-z]+):\s*(#[0-9a-fA-F]{3,6})`)
)

// The focus ring stands out at least 3:1 (WCAG 2.1, 1.4.11): its outline
// against the white page and a text field, a focused link or button (which
// turns yellow) against the blue header it sits on, and the outline against
// the focused element itself; the focused element's text stays readable.
func TestFocusRingContrast(t *testing.T) {
	raw, err := staticFS.ReadFile("static/style.css")
	require.NoError(t, err)
	css := commentRE.ReplaceAllString(string(raw), "")
	vars := map[string]string{}
	for _, m := range varRE.FindAllStringSubmatch(css, -1) {
		vars[m[1]] = m[2]
	}
	paper, accent := vars["paper"], vars["accent"]
	require.NotEmpty(t, paper)
	require.NotEmpty(t, accent)
	var ring, focusBackground string
	for _, m := range ruleRE.FindAllStringSubmatch(css, -1) {
		selector, body := strings.TrimSpace(m[1]), m[2]
		if !strings.Contains(selector, ":focus") {
			continue
		}
		if o := outlineRE.FindStringSubmatch(body); o != nil {
			width, _ := strconv.Atoi(o[1])
			assert.GreaterOrEqual(t, width, 3, "%s: a ring at least 3px wide", selector)
			assert.GreaterOrEqual(t, contrast(t, o[2], paper), 3.0, "%s: the ring against the white page", selector)
			if strings.Contains(selector, "button:focus") {
				ring = o[2]
			}
		}
		if b := backgroundRE.FindStringSubmatch(body); b != nil && strings.Contains(selector, "button:focus") {
			focusBackground = b[1]
		}
	}
	require.NotEmpty(t, ring, "a focused button has an outline")
	require.NotEmpty(t, focusBackground, "a focused button changes colour, so the ring also shows on the blue header")
	assert.GreaterOrEqual(t, contrast(t, focusBackground, accent), 3.0, "a focused link or button against the blue header")
	assert.GreaterOrEqual(t, contrast(t, ring, focusBackground), 3.0, "the ring against the focused element")
	assert.GreaterOrEqual(t, contrast(t, ring, focusBackground), 4.5, "the focused element's text (the ring's colour) stays readable")
}
