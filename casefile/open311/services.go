package open311

import (
	"net/http"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// Service is one entry of services.json: a category or sub-category.
type Service struct {
	ServiceCode string `json:"service_code" xml:"service_code"`
	ServiceName string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
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
		out = append(out, Service{ServiceCode: c.Code, ServiceName: group, Description: group + " (" + c.Deadline.String() + ")",
			Type: "realtime", Keywords: c.Code, Group: group})
		for _, s := range c.Subcategories {
			out = append(out, Service{ServiceCode: c.Code + "." + s.Code, ServiceName: s.Label.In(lang),
				Description: group + ": " + s.Label.In(lang), Type: "realtime", Keywords: c.Code + "," + s.Code, Group: group})
		}
	}
	return out
}

func (h *Handler) services(w http.ResponseWriter, format string) {
	ct, ok := h.Service.CaseType(h.Type)
	if !ok {
		writeErrors(w, format, http.StatusInternalServerError, Error{Code: 500, Description: "case type not configured"})
		return
	}
	list := Services(ct, h.lang())
	if format == "xml" {
		write(w, format, http.StatusOK, serviceList{Services: list})
		return
	}
	write(w, format, http.StatusOK, list)
}
