package assistant

// minPart is the shortest part a compound is split into: shorter pieces
// ("ver", "id") match too many unrelated words.
const minPart = 4

// splitCompound splits a folded word into known stems, right-headed as
// Dutch compounds are ("parkeervergunning" → "parker" + "vergunn"),
// allowing the linking morphemes -s-, -e- and -en- ("bewonerskaart",
// "pannenkoek"). known reports whether a stem is in the index vocabulary.
// It returns nil when no split into two or three known parts exists.
func splitCompound(w string, known func(string) bool) []string {
	if parts := split(w, known, 1); parts != nil {
		return parts
	}
	// A short head ("les", "bak", "zak", "put") after a long known
	// modifier: "pianoles", "gftbak", "vuilniszak".
	if n := len(w) - shortHead; n >= minModifier && isASCII(w) && known(w[n:]) {
		for _, l := range []string{w[:n], trimLink(w[:n], "s")} {
			if len(l) >= minModifier {
				if ls := stem(l); known(ls) {
					return []string{ls, w[n:]}
				}
			}
		}
	}
	return nil
}

// shortHead is the length of the short heads splitCompound also tries,
// after a known modifier of at least minModifier letters.
const (
	shortHead   = 3
	minModifier = 5
)

func split(w string, known func(string) bool, depth int) []string {
	if len(w) < 2*minPart || !isASCII(w) {
		return nil
	}
	// The longest known head first: "afval|ophaling" before "afvalop|haling".
	for i := minPart - 1; i <= len(w)-minPart; i++ {
		right := stem(w[i:])
		if len(w)-i < minPart || !known(right) {
			continue
		}
		left := w[:i]
		for _, l := range []string{left, trimLink(left, "s"), trimLink(left, "en"), trimLink(left, "e")} {
			if len(l) < minPart {
				continue
			}
			if ls := stem(l); known(ls) {
				return []string{ls, right}
			}
			if depth > 0 {
				if parts := split(l, known, depth-1); parts != nil {
					return append(parts, right)
				}
			}
		}
	}
	return nil
}

func trimLink(s, link string) string {
	if len(s) > len(link) && s[len(s)-len(link):] == link {
		return s[:len(s)-len(link)]
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// head returns the stem of the longest known word that ends w
// ("kebabzaak" → "zaak", "petanqueclub" → "club"): Dutch compounds are
// right-headed, so the head says what kind of thing w is even when the
// modifier is unknown. It returns "" when no head of at least minPart
// letters, leaving a modifier of at least three, is known.
func head(w string, known func(string) bool) string {
	if !isASCII(w) {
		return ""
	}
	for i := 3; i <= len(w)-minPart; i++ {
		if s := stem(w[i:]); known(s) {
			return s
		}
	}
	return ""
}
