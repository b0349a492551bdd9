package paging

// Resent marks an alert a System Admin sent again after it failed for good: which resend it
// is and who asked. The alert keeps its id, so PagerTree aggregates it with anything that got through.
type Resent struct {
	Number int    `json:"number"` // 1 for the first resend
	By     string `json:"by"`     // user id of the System Admin
}
