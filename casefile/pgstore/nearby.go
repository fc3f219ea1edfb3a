package pgstore

import (
	"context"
	"strconv"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

var _ casefile.NearbyFinder = (*Store)(nil)

// nearbySQL selects the open, unmerged cases of a municipality and
// category inside a bounding box, nearest first. The box and the partial
// index casefile_cases_nearby make it an index range scan; the haversine
// in SQL orders and cuts the rows, and the store measures the kept ones
// again with casefile.Distance, so both stores agree to the last bit.
const nearbySQL = `SELECT data FROM (
	SELECT data, id, 2 * 6371008.8 * asin(sqrt(least(1,
		power(sin(radians(lat - $3) / 2), 2) +
		cos(radians($3)) * cos(radians(lat)) * power(sin(radians(lon - $4) / 2), 2)))) AS distance
	FROM casefile_cases
	WHERE municipality = $1 AND category = $2 AND NOT closed AND merged_into IS NULL AND lat IS NOT NULL
		AND lat BETWEEN $5 AND $6 AND lon BETWEEN $7 AND $8 AND ($9 = '' OR type = $9)
) near WHERE distance <= $10 ORDER BY distance, id LIMIT `

func nearbyArgs(q casefile.NearbyQuery) []any {
	minLat, maxLat, minLon, maxLon := casefile.Box(q.Point, q.Radius)
	// A centimetre of slack: the SQL haversine may round differently from
	// Go's; the exact test is casefile's.
	return []any{q.Municipality, q.Category, q.Point.Lat, q.Point.Lon, minLat, maxLat, minLon, maxLon, q.Type, q.Radius + 0.01}
}

// Nearby implements casefile.NearbyFinder.
func (s *Store) Nearby(ctx context.Context, q casefile.NearbyQuery) ([]casefile.NearbyCase, error) {
	rows, err := s.pool.Query(ctx, nearbySQL+strconv.Itoa(q.Size()+1), nearbyArgs(q)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := []casefile.NearbyCase{}
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		c, err := decode(data)
		if err != nil {
			return nil, err
		}
		if d, ok := q.Candidate(c); ok {
			found = append(found, casefile.NearbyCase{Case: c, Distance: d})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return casefile.SortNearby(found, q.Size()), nil
}
