package demo

import _ "embed"

//go:embed catalogue.yaml
var catalogue []byte

// CatalogueYAML returns the embedded demo catalogue of Demogem as YAML. The
// caller gets its own copy and may change it.
func CatalogueYAML() []byte {
	return append([]byte(nil), catalogue...)
}
