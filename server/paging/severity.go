package paging

import (
	"fmt"
	"strings"
)

// Severity is a PagerTree incident severity (DESIGN §13). SeverityNone ("") means the alert is
// not an incident. PagerTree's own values are "SEV-1"…"SEV-5"; SEV-1 is the most severe.
type Severity string

// The severities, most severe first; SeverityNone is not an incident.
const (
	SeverityNone Severity = ""
	Severity1    Severity = "SEV-1"
	Severity2    Severity = "SEV-2"
	Severity3    Severity = "SEV-3"
	Severity4    Severity = "SEV-4"
	Severity5    Severity = "SEV-5"
)

// Severities lists the incident severities, most severe first.
var Severities = []Severity{Severity1, Severity2, Severity3, Severity4, Severity5}

// ParseSeverity reads "SEV-1", "sev-1", "sev_1", "sev1" or "1" (any case; "" and "none" are
// SeverityNone), the forms people type and PagerTree's fixtures show.
func ParseSeverity(s string) (Severity, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	if v == "" || v == "NONE" {
		return SeverityNone, nil
	}
	v = strings.TrimPrefix(v, "SEV")
	v = strings.TrimLeft(v, "-_ ")
	for _, sev := range Severities {
		if v == strings.TrimPrefix(string(sev), "SEV-") {
			return sev, nil
		}
	}
	return "", fmt.Errorf("%q is not an incident severity: use SEV-1 (most severe) to SEV-5, or none", s)
}

// Rank is 1 for SEV-1 up to 5 for SEV-5, 0 for SeverityNone: lower is more severe.
func (s Severity) Rank() int {
	for i, sev := range Severities {
		if s == sev {
			return i + 1
		}
	}
	return 0
}

// MoreSevere reports whether s is an incident more severe than t (any incident is more severe
// than none).
func (s Severity) MoreSevere(t Severity) bool {
	if s.Rank() == 0 {
		return false
	}
	return t.Rank() == 0 || s.Rank() < t.Rank()
}

// IsIncident reports whether the alert is to be sent as an incident.
func (s Severity) IsIncident() bool { return s.Rank() > 0 }

// PagedAs names what was paged in chat: "urgency: critical, incident SEV-1", or "urgency:
// high" for a plain alert. sev is what was sent (Alert.IncidentIn), not what was named.
func PagedAs(sev Severity, u Urgency) string {
	if sev.IsIncident() {
		return "urgency: " + u.String() + ", incident " + string(sev)
	}
	return "urgency: " + u.String()
}
