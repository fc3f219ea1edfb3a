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
	focusRuleRE = regexp.MustCompile(`(?m)^([^{}]*:focus[^{}]*)\{([^}]*)\}`)
	colourRE    = regexp.MustCompile(`#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b`)
	varRE       = regexp.MustCompile(`--([a-z]+):\s*(#[0-9a-fA-F]{3,6})`)
)

// Every focus ring stands out at least 3:1 against what surrounds it: the
// white page, the blue header and buttons, and the element itself (WCAG
// 2.1, 1.4.11). A ring of two colours passes when one of them does.
func TestFocusRingContrast(t *testing.T) {
	css, err := staticFS.ReadFile("static/style.css")
	require.NoError(t, err)
	vars := map[string]string{}
	for _, m := range varRE.FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	surfaces := map[string]string{"the page (white)": vars["paper"], "the header and buttons (blue)": vars["accent"],
		"the text": vars["ink"], "the flash": "#e6f2e6", "a notice": "#fff4d6"}
	rules := focusRuleRE.FindAllStringSubmatch(string(css), -1)
	require.NotEmpty(t, rules)
	for _, rule := range rules {
		selector, body := strings.TrimSpace(rule[1]), rule[2]
		if !strings.Contains(body, "outline") && !strings.Contains(body, "box-shadow") {
			continue // a rule that moves an element into view, like the skip link
		}
		assert.Regexp(t, `outline:\s*[3-9]px`, body, "%s: a ring at least 3px wide", selector)
		ring := colourRE.FindAllString(body, -1)
		require.NotEmpty(t, ring, selector)
		for name, surface := range surfaces {
			best := 0.0
			for _, c := range ring {
				best = math.Max(best, contrast(t, c, surface))
			}
			assert.GreaterOrEqual(t, best, 3.0, "%s against %s (%s): %.2f:1", selector, name, surface, best)
		}
	}
}
