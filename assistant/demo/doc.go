// Package demo holds the product and service catalogue ("productcatalogus")
// of Demogem, the made-up Flemish demo municipality (postcode 9999) that the
// portal and the assistant's tests use.
//
// The catalogue is a YAML list of entries in the shape of the Flemish
// product and service catalogue (IPDC / LPDC, OSLO "Dienst"): title (naam),
// description (beschrijving), conditions (voorwaarden), procedure, costs
// (kosten), exceptions (uitzonderingen), keywords (trefwoorden), themes
// (thema's), audiences (doelgroepen), type (producttype), URL, validity
// dates, language and version. Its wording follows what Flemish
// municipalities publish; its prices are Demogem's demo values, not any real
// municipality's.
//
// The package depends on nothing but the standard library, so any package
// can load the catalogue without importing the assistant's types.
package demo
