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
// time, with GIPOD-style ratings per party. One application has at most
// [MaxPeriods] periods, [MaxSchedules] schedules and [MaxOccurrences]
// occurrences in all, counted before its schedules are expanded.
//
// Geometry is decided exactly. Lambert 72 coordinates are taken to the
// millimetre, and whether two zones overlap or touch ([Conflict].Overlap,
// which [DefaultPolicy] blocks on) is an exact predicate on that grid, the
// same wherever in Belgium the shapes lie; distances are reported to the
// centimetre. One rule validates every polygon, a location's and a
// territory's: rings enclose an area and neither touch nor cross, holes lie
// inside their outer ring and outside each other. GeoJSON is written with
// the winding of RFC 7946: outer rings counterclockwise, holes clockwise.
//
// A location must lie in Belgium (a cheap box check that catches swapped or
// Lambert-as-degrees coordinates). A permit to occupy public domain is
// moreover only valid on the territory ("grondgebied") of the municipality
// that grants it: load the municipality's border once with
// [ParseTerritory] (a GeoJSON Polygon or MultiPolygon, with holes for
// enclaves, in WGS84 or Lambert 72) and set it as [Config].Territory. Draft,
// Modify, Submit and Resubmit then refuse a location that does not lie
// wholly on it with a *[ValidationError] on "location" (rule "territory"),
// and nothing stored changes. A point on the border counts as inside, to
// within a millimetre; border edges are straight lines in Lambert 72, which
// for border data with vertices metres apart is the same to well under a
// millimetre as straight lines in degrees. The check runs on a band index
// in Lambert 72 and costs microseconds even for thousands of vertices.
//
// A front office reaches applications through the [Service] only: Draft
// takes an idempotency key ([ApplicationInput].IdempotencyKey), so a form
// posted twice drafts one application, and [Service.ByApplicant] lists
// "my applications" of a person ([PersonApplicant]) and of the enterprises
// they act for ([EnterpriseApplicant]), newest first, from an index in
// every store. A [Store] holds no rule of its own: which applications are
// conflict candidates ([Application.Occupies]), whose an application is
// ([Applicant.ID]) and how a rating is keyed ([Rating.Ordered]) come from
// this package; permittest.Run checks that a store commits an
// application's events with its change, and none with a failed or stale
// one.
//
// Words used: inname (occupation), aanvraag (application), adviesinstantie
// (advising department: police, fire brigade, mobility, environment),
// vergunning (permit), grondgebied (territory), signalisatie (signage), hinder (nuisance), GIPOD
// (Generiek Informatieplatform Openbaar Domein, the Flemish register of
// works and occupations).
package permit
