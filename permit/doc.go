// Package permit handles permits to occupy the public domain ("inname van
// het openbaar domein") and for events: a container or scaffolding in the
// street, a moving lift, a parking ban ("parkeerverbod") for a moving van, a
// terrace, a street party.
//
// It covers the whole process: the occupation types as data
// ([OccupationType]), the location as GeoJSON in WGS84 or Belgian Lambert 72
// ([ParseGeometry]) with its area and length, periods and recurring
// schedules ([Period], [Schedule]), the fee ("retributie", [ComputeFee]),
// the application lifecycle with its advice round ("advies") and decision
// ("beslissing"), the signage schedule ("signalisatie") for parking bans,
// and conflicts ("conflicten") between occupations that overlap in space and
// time, with GIPOD-style ratings per party.
//
// Words used: inname (occupation), aanvraag (application), adviesinstantie
// (advising department: police, fire brigade, mobility, environment),
// vergunning (permit), signalisatie (signage), hinder (nuisance), GIPOD
// (Generiek Informatieplatform Openbaar Domein, the Flemish register of
// works and occupations).
package permit
