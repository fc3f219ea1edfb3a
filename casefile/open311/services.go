package open311

import (
	"net/http"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// Service is one entry of services.json: a category or sub-category.
type Service struct {
	ServiceCode string `json:"service_code" xml:"service_code"`
	ServiceName string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	// Metadata is true when the service has a definition with
	// attributes (services/{code}.json).
	Metadata bool   `json:"metadata" xml:"metadata"`
	Type     string `json:"type" xml:"type"`
	Keywords string `json:"keywords" xml:"keywords"`
	Group    string `json:"group" xml:"group"`
}

type serviceList struct {
	XMLName  struct{}  `xml:"services"`
	Services []Service `xml:"service"`
}

// Services lists the service codes of a case type: every category, and
// every sub-category as "category.subcategory".
func Services(ct *casefile.CaseType, lang string) []Service {
	var out []Service
	for _, c := range ct.Categories {
		group := c.Label.In(lang)
		meta := len(c.Attributes) > 0
		out = append(out, Service{ServiceCode: c.Code, ServiceName: group, Description: group + " (" + c.Deadline.String() + ")",
			Metadata: meta, Type: "realtime", Keywords: c.Code, Group: group})
		for _, s := range c.Subcategories {
			out = append(out, Service{ServiceCode: c.Code + "." + s.Code, ServiceName: s.Label.In(lang),
				Description: group + ": " + s.Label.In(lang), Metadata: meta, Type: "realtime", Keywords: c.Code + "," + s.Code, Group: group})
		}
	}
	return out
}

func (h *Handler) services(w http.ResponseWriter, format string) {
	ct, ok := h.caseType(w, format)
	if !ok {
		return
	}
	list := Services(ct, h.lang())
	if format == "xml" {
		write(w, format, http.StatusOK, serviceList{Services: list})
		return
	}
	write(w, format, http.StatusOK, list)
}

// Definition is a service definition (GET services/{code}): the extra
// questions a request of the service answers, as attribute[code]=value.
type Definition struct {
	XMLName     struct{}    `json:"-" xml:"service_definition"`
	ServiceCode string      `json:"service_code" xml:"service_code"`
	Attributes  []Attribute `json:"attributes" xml:"attributes>attribute"`
}

// Attribute is one question of a service definition.
type Attribute struct {
	Variable bool   `json:"variable" xml:"variable"`
	Code     string `json:"code" xml:"code"`
	// Datatype is string, number, datetime, text, singlevaluelist or
	// multivaluelist.
	Datatype            string  `json:"datatype" xml:"datatype"`
	Required            bool    `json:"required" xml:"required"`
	DatatypeDescription string  `json:"datatype_description" xml:"datatype_description"`
	Order               int     `json:"order" xml:"order"`
	Description         string  `json:"description" xml:"description"`
	Values              []Value `json:"values,omitempty" xml:"values>value,omitempty"`
}

// Value is one value of a list attribute.
type Value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

// Datatypes maps casefile's attribute types onto Open311's.
var Datatypes = map[casefile.AttributeType]string{
	casefile.AttributeText:        "string",
	casefile.AttributeLongText:    "text",
	casefile.AttributeNumber:      "number",
	casefile.AttributeChoice:      "singlevaluelist",
	casefile.AttributeMultiChoice: "multivaluelist",
	casefile.AttributeYesNo:       "singlevaluelist",
	casefile.AttributeDate:        "datetime",
}

// NewDefinition returns the service definition of code ("category" or
// "category.subcategory") in lang; ok is false when the case type has no
// such service. Orders count from 1 in the category's order.
func NewDefinition(ct *casefile.CaseType, code, lang string) (Definition, bool) {
	category, sub, _ := strings.Cut(code, ".")
	if _, ok := ct.Deadline(category, sub); !ok {
		return Definition{}, false
	}
	d := Definition{ServiceCode: code, Attributes: []Attribute{}}
	for i, a := range ct.Attributes(category) {
		help := a.Description.In(lang)
		switch a.Type {
		case casefile.AttributeNumber:
			help = strings.TrimSpace(help + " " + map[bool]string{true: "A number, e.g. 12.5.", false: "Een getal, bv. 12,5."}[lang == "en"])
		case casefile.AttributeDate:
			help = strings.TrimSpace(help + " " + map[bool]string{true: "A date, e.g. 2026-12-01.", false: "Een datum, bv. 2026-12-01."}[lang == "en"])
		}
		out := Attribute{Variable: true, Code: a.Code, Datatype: Datatypes[a.Type], Required: a.Required,
			DatatypeDescription: help, Order: i + 1, Description: a.Label.In(lang)}
		for _, ch := range a.Choices {
			out.Values = append(out.Values, Value{Key: ch.Code, Name: ch.Label.In(lang)})
		}
		if a.Type == casefile.AttributeYesNo {
			yes, no := "Ja", "Nee"
			if lang == "en" {
				yes, no = "Yes", "No"
			}
			out.Values = []Value{{Key: "true", Name: yes}, {Key: "false", Name: no}}
		}
		d.Attributes = append(d.Attributes, out)
	}
	return d, true
}

func (h *Handler) definition(w http.ResponseWriter, format, code string) {
	ct, ok := h.caseType(w, format)
	if !ok {
		return
	}
	d, ok := NewDefinition(ct, code, h.lang())
	if !ok {
		writeErrors(w, format, http.StatusNotFound, Error{Code: 404, Description: "no service " + code})
		return
	}
	write(w, format, http.StatusOK, d)
}

// DiscoveryInfo is what discovery.json says of the endpoint.
type DiscoveryInfo struct {
	// URL is the endpoint's public base URL, e.g.
	// https://gent.example/open311/v2 (without a trailing slash).
	URL string
	// Contact says whom to ask, e.g. "open311@gent.example".
	Contact string
	// KeyService says where to get an API key.
	KeyService string
	// Changeset is when the endpoint last changed.
	Changeset time.Time
	// Type is production, test or dev; production when empty.
	Type string
}

// Discovery is the discovery document
// (https://wiki.open311.org/Service_Discovery).
type Discovery struct {
	XMLName    struct{}   `json:"-" xml:"discovery"`
	Changeset  string     `json:"changeset" xml:"changeset"`
	Contact    string     `json:"contact" xml:"contact"`
	KeyService string     `json:"key_service" xml:"key_service"`
	Endpoints  []Endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

// Endpoint is one endpoint of a discovery document.
type Endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

func (h *Handler) discovery(w http.ResponseWriter, format string) {
	d := h.Discovery
	typ := d.Type
	if typ == "" {
		typ = "production"
	}
	changed := formatTime(d.Changeset)
	write(w, format, http.StatusOK, Discovery{Changeset: changed, Contact: d.Contact, KeyService: d.KeyService,
		Endpoints: []Endpoint{{Specification: "http://wiki.open311.org/GeoReport_v2", URL: d.URL, Changeset: changed, Type: typ,
			Formats: []string{"text/xml", "application/json"}}}})
}
