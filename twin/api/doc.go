// Package api serves the twin over HTTP: the mirror (/api/state), the
// ISA-95 tree, KPIs and deviations of its monitor, the line's output
// history (/api/history, a [mirror.History]), forecasts and what-ifs,
// commands sent back to the line through a [Commander], and Prometheus
// metrics (/metrics). See [Handler] for the routes.
//
// A [Policy] says who may use them: reading is open, acting on the line
// or costing CPU needs a bearer token compared in constant time; Host
// headers that do not name the twin (DNS rebinding), foreign Origins and
// POSTs that are not JSON are refused on every route; bodies are bounded,
// and so are the forecasts in progress (429 beyond) and their wall time.
// Forecasts run with the request's context: a client that leaves stops
// its replications.
//
// Documents are JSON; every error answers {"error": "..."} with a status
// that says whose fault it is (400 a bad request, naming the field; 401
// no or a wrong token; 403 a refused Host or Origin, or acting on a twin
// without a token; 404 an unknown node or device; 409 no model or no
// state yet, or a device offline; 413 a body too large; 415 a POST that
// is not JSON; 429 too many forecasts; 503 no broker connection, or a
// forecast past its time limit).
package api
