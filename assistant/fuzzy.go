package assistant

// minFuzzy is the shortest word corrected for a typo: shorter words have
// too many neighbours at one edit.
const minFuzzy = 5

// deletes calls fn with every string made by removing one byte of w.
func deletes(w string, fn func(string)) {
	for i := 0; i < len(w); i++ {
		fn(w[:i] + w[i+1:])
	}
}

// editDistance1 reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of adjacent letters.
func editDistance1(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// levenshtein2 reports whether a and b are at most two insertions,
// deletions or substitutions apart, computing only the diagonal band.
func levenshtein2(a, b string) bool {
	const k = 2
	if len(a)-len(b) > k || len(b)-len(a) > k {
		return false
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}
