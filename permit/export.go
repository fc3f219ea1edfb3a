package permit

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/google/uuid"
)

// Feature is one occupation in a GeoJSON export. Its properties carry no
// personal data: only what a map or a GIPOD-style consumer shows.
type Feature struct {
	Type       string            `json:"type"` // always "Feature"
	ID         uuid.UUID         `json:"id"`
	Geometry   Geometry          `json:"geometry"`
	Properties FeatureProperties `json:"properties"`
}

// FeatureProperties describe an exported occupation.
type FeatureProperties struct {
	Kind        OccupationKind `json:"kind"`
	Type        string         `json:"occupation_type"`
	Status      Status         `json:"status"`
	Description string         `json:"description"`
	Start       time.Time      `json:"start"`
	End         time.Time      `json:"end"`
	Occurrences []Period       `json:"occurrences"`
	Area        float64        `json:"area_m2,omitempty"`
	Length      float64        `json:"length_m,omitempty"`
}

// ExportGeoJSON writes the granted and active applications as a GeoJSON
// FeatureCollection (RFC 7946, WGS84), streaming one feature at a time.
func (s *Service) ExportGeoJSON(ctx context.Context, w io.Writer) error {
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	first := true
	for a, err := range s.cfg.Store.List(ctx, StatusGranted, StatusActive) {
		if err != nil {
			return err
		}
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		first = false
		occ := a.Occurrences()
		span := Span(occ)
		f := Feature{Type: "Feature", ID: a.ID, Geometry: a.Location, Properties: FeatureProperties{
			Kind: KindPermit, Type: a.Type, Status: a.Status, Description: a.Description,
			Start: span.Start, End: span.End, Occurrences: occ, Area: round2(a.Area), Length: round2(a.Length),
		}}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]}\n")
	return err
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
