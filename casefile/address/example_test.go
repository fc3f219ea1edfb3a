package address_test

import (
	"context"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/casefile/address"
)

// A citizen types an address; the form shows where it is and checks that
// it lies in the municipality.
func Example() {
	var lookup address.Lookup = address.DemogemGazetteer()
	found, err := lookup.Search(context.Background(), "Kerkstraat 12, Demogem")
	if err != nil || len(found) == 0 {
		fmt.Println("niet gevonden")
		return
	}
	a := found[0]
	fmt.Println(a)
	fmt.Println(address.DemogemTerritory().Check(a.Lat, a.Lon) == nil)
	// Output:
	// Kerkstraat 12, 9999 Demogem
	// true
}

// Coordinates typed with a decimal comma are read; a point in Brussels is
// refused with a Dutch message.
func ExampleTerritory_Check() {
	lat, lon, err := address.ParseLatLon("50,8466; 4,3528")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(address.DemogemTerritory().Check(lat, lon))
	// Output: Deze plaats ligt buiten het grondgebied van Demogem.
}

// The register gives Lambert 72; a map needs WGS84.
func ExampleLambert72ToWGS84() {
	lat, lon := address.Lambert72ToWGS84(105600.61, 192113.19) // Bellevue 1, 9050 Gent
	fmt.Printf("%.5f, %.5f\n", lat, lon)
	// Output: 51.03750, 3.73574
}
