package pagertreeclient

import (
	"encoding/json"
	"strings"

	"github.com/pagertree/mattermost-plugin-pagertree/server/paging"
)

// incidentOf reads whether PagerTree reports an alert as an incident and of what severity
// (DESIGN §13): the alert's own incident / incident_severity, else the same keys in its meta
// (the Webhook format's Meta, as the adapter received it). The severity is typed: SEV-1…SEV-5
// in PagerTree's spellings ("SEV-1", "sev_1"), anything else (SEV-UNKNOWN) an incident of
// unknown severity, so nothing unbounded is kept.
func incidentOf(alert map[string]json.RawMessage) (bool, paging.Severity) {
	is, sev := incidentFields(alert)
	if !is {
		var meta map[string]json.RawMessage
		if json.Unmarshal(alert["meta"], &meta) == nil && meta != nil {
			is, sev = incidentFields(meta)
		}
	}
	return is, sev
}

func incidentFields(m map[string]json.RawMessage) (bool, paging.Severity) {
	if !truthy(m["incident"]) {
		return false, paging.SeverityNone
	}
	sev, err := paging.ParseSeverity(clip(field(m, "incident_severity"), MaxWordLen))
	if err != nil {
		sev = paging.SeverityNone
	}
	return true, sev
}

// truthy is JSON true, or the text "true" (PagerTree's meta values are whatever was sent).
func truthy(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	s, ok := str(raw)
	return ok && strings.EqualFold(strings.TrimSpace(s), "true")
}
