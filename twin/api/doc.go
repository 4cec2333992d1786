// Package api serves the twin over HTTP: the mirror (/api/state), the
// ISA-95 tree, KPIs and deviations of its monitor, forecasts and what-ifs,
// commands sent back to the line through a [Commander], and Prometheus
// metrics (/metrics). See [Handler] for the routes. Documents are JSON;
// every error answers {"error": "..."} with a status that says whose
// fault it is (400 a bad request, naming the field; 404 an unknown node or
// device; 409 no model or no state yet, or a device offline; 503 no
// broker connection).
package api
