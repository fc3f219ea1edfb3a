package assistant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// MaxCatalogue is the largest catalogue file the loaders read, in bytes.
const MaxCatalogue = 64 << 20

// LoadCatalogue reads a catalogue in the plain format: a JSON array or a
// YAML list of entries with the field names of Entry's tags. It validates
// every entry and the uniqueness of IDs.
func LoadCatalogue(data []byte) ([]Entry, error) {
	if len(data) > MaxCatalogue {
		return nil, fmt.Errorf("assistant: catalogue of %d bytes is larger than %d", len(data), MaxCatalogue)
	}
	var entries []Entry
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' && json.Valid(t) {
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&entries); err != nil {
			return nil, fmt.Errorf("assistant: catalogue JSON: %w", err)
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&entries); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("assistant: catalogue YAML: %w", err)
		}
	}
	if err := ValidateCatalogue(entries); err != nil {
		return nil, err
	}
	return entries, nil
}
