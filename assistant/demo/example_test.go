package demo_test

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/assistant/demo"
)

// The catalogue is plain YAML: any loader that knows the entry fields can
// read it; the assistant package has its own.
func ExampleCatalogueYAML() {
	var entries []struct {
		ID    string `yaml:"id"`
		Title string `yaml:"title"`
		URL   string `yaml:"url"`
	}
	if err := yaml.Unmarshal(demo.CatalogueYAML(), &entries); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(entries[0].ID)
	fmt.Println(entries[0].Title)
	fmt.Println(entries[0].URL)
	// Output:
	// identiteitskaart
	// Elektronische identiteitskaart (eID) voor Belgen
	// https://www.demogem.be/identiteitskaart
}
