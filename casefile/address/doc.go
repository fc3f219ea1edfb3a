// Package address finds and checks the place of a report ("adres
// opzoeken", "locatie van een melding"): free-text address look-up, a
// point's nearest address, the municipality's territory ("grondgebied"),
// and coordinates typed the Belgian way, with a decimal comma.
//
// The pieces:
//
//   - Lookup, the interface a form or an Open311 endpoint needs: Search
//     ("Kerkstraat 1, Demogem") and Reverse (lat, lon → address).
//   - Register, the Lookup over the Flemish address register (Basisregisters
//     Vlaanderen, Adressenregister), endpoint GET /v2/adresmatch, documented
//     at https://docs.basisregisters.vlaanderen.be/docs/api-documentation.html
//     (read endpoints of the "Gebouwen- en Adressenregister"; anonymous use
//     is rate-limited, an API key goes in the x-api-key header). The
//     register has no reverse look-up.
//   - Gazetteer, an offline Lookup over a list of streets; DemogemGazetteer
//     is the demo municipality's, DemogemTerritory its territory.
//   - Lambert72ToWGS84 and Lambert2008ToWGS84: the register publishes
//     positions in Belgian Lambert 72 (EPSG:31370) or Lambert 2008
//     (EPSG:3812); maps and phones use WGS84. The conversion is the
//     Lambert conformal conic inverse and, for Lambert 72, the BD72 → WGS84
//     datum shift EPSG:15929; it agrees with PROJ to a centimetre.
//   - Territory.Check refuses a point outside the municipality with the
//     Dutch message "Deze plaats ligt buiten het grondgebied van Demogem.".
//   - ParseCoordinate and ParseLatLon accept "50,87" as well as "50.87".
//
// Every error a citizen can cause (a bad coordinate, a point outside)
// answers errors.Is(err, ErrValidation) and carries a Dutch message.
package address
