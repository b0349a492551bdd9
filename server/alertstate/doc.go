// Package alertstate is the life of an alert after it was sent to PagerTree: the state
// machine fed by PagerTree's outgoing-webhook events (never backwards, idempotent) and the
// status card and thread replies as plain data. No plugin API: table-tested in isolation.
package alertstate
