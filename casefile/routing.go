package casefile

import "slices"

// Polygon is a closed ring of WGS84 points, e.g. a district ("wijk",
// "deelgemeente"); the last point connects back to the first.
type Polygon []Point

// Contains reports whether p lies inside the polygon (even-odd rule).
func (pg Polygon) Contains(p Point) bool {
	in := false
	for i, j := 0, len(pg)-1; i < len(pg); j, i = i, i+1 {
		a, b := pg[i], pg[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// RoutingRule sends cases to a team ("routering"). Every condition that is
// set must hold; an empty condition matches anything. Rules are tried in
// order and the first match wins, so put specific rules first.
type RoutingRule struct {
	Team        string   `json:"team"`
	Category    string   `json:"category,omitempty"`
	Subcategory string   `json:"subcategory,omitempty"`
	PostalCodes []string `json:"postal_codes,omitempty"`
	District    Polygon  `json:"district,omitempty"`
}

// Matches reports whether the rule applies to c.
func (r RoutingRule) Matches(c *Case) bool {
	if r.Category != "" && r.Category != c.Category {
		return false
	}
	if r.Subcategory != "" && r.Subcategory != c.Subcategory {
		return false
	}
	if len(r.PostalCodes) > 0 {
		if !c.Location.HasAddress() || !slices.Contains(r.PostalCodes, c.Location.Address.PostalCode) {
			return false
		}
	}
	if len(r.District) > 0 {
		if !c.Location.HasPoint() || !r.District.Contains(c.Location.Point) {
			return false
		}
	}
	return true
}

// Route returns the team of the first rule that matches c.
func Route(rules []RoutingRule, c *Case) (string, bool) {
	for _, r := range rules {
		if r.Matches(c) {
			return r.Team, true
		}
	}
	return "", false
}
