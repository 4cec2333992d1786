package api_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/forecast"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/monitor"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

var updateAPIDoc = flag.Bool("update-api-doc", false, "rewrite the generated part of docs/api.md")

// apiPage is the API's JSON reference, relative to this package.
const apiPage = "../../docs/api.md"

// apiDocument is one JSON document the API reads or writes.
type apiDocument struct {
	title string
	v     any
}

// apiDocuments lists every JSON body of the API, in the order of the page.
func apiDocuments() []apiDocument {
	return []apiDocument{
		{"GET /api/state", api.StateJSON{}},
		{"GET /api/tree", monitor.Tree{}},
		{"GET /api/kpis", monitor.KPIs{}},
		{"GET /api/deviations", api.DeviationsJSON{}},
		{"GET /api/history", api.HistoryJSON{}},
		{"GET /api/forecast", forecast.ForecastJSON{}},
		{"POST /api/whatif (request)", forecast.WhatIfRequest{}},
		{"POST /api/whatif (answer)", forecast.WhatIfJSON{}},
		{"POST /api/command (request)", mirror.CommandRequest{}},
		{"POST /api/command (answer)", api.CommandResponseJSON{}},
		{"GET /api/autopilot", autopilot.Status{}},
		{"POST /api/autopilot (request)", api.AutopilotRequest{}},
		{"POST /api/autopilot (answer)", api.AutopilotResponseJSON{}},
		{"Errors (any route)", errorWire{}},
	}
}

// errorWire is the body of every error answer (the package's own type for
// it is unexported).
type errorWire struct {
	// Error says what was wrong with the request, or what failed.
	Error string `json:"error"`
}

// apiKey is one key of a document: its dotted path, JSON type and the Go
// field it comes from (owner is "package.Type").
type apiKey struct {
	path, kind, owner, field string
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	simTimeType = reflect.TypeFor[sim.Time]()
	seedType    = reflect.TypeFor[twin.Seed]()
	marshaler   = reflect.TypeFor[json.Marshaler]()
)

// jsonKind names the JSON type of values of t.
func jsonKind(t reflect.Type, tag string) string {
	if strings.Contains(tag, ",string") {
		return "string (a whole number)"
	}
	switch {
	case t == seedType:
		return "string (a whole number)"
	case t == simTimeType:
		return "number (seconds)"
	case t == timeType:
		return "string (RFC 3339 time)"
	case t.Kind() == reflect.Pointer:
		return jsonKind(t.Elem(), tag)
	case wireCopies[t] != nil:
		return "object"
	case t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler):
		return "number or string"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array of " + jsonKind(t.Elem(), "")
	case reflect.Map:
		return "object of " + jsonKind(t.Elem(), "")
	case reflect.Struct:
		return "object"
	case reflect.Interface:
		return "any JSON value"
	}
	return t.Kind().String()
}

// decisionWire is autopilot.Decision as its MarshalJSON writes it (the
// package's own type for it is unexported); TestWireCopies checks the two
// agree.
type decisionWire struct {
	// Seq numbers the log's entries from 1, in order.
	Seq uint64 `json:"seq"`
	// Time is the observation's simulated time, in seconds.
	Time float64 `json:"time_s"`
	// Policy names the policy that decided (or "operator").
	Policy string `json:"policy"`
	// Action is the kind of action: maintain, dispatch, set_speed, move_buffer, hold or release.
	Action string `json:"action"`
	// Line is the copy of the line the action is on, from 1 (absent for a hold or release).
	Line int `json:"line,omitempty"`
	// Target is the station acted on.
	Target string `json:"target,omitempty"`
	// Server is the server acted on, from 1 (maintain and dispatch).
	Server int `json:"server,omitempty"`
	// Speed is the relative speed a set_speed sets.
	Speed *float64 `json:"speed,omitempty"`
	// From is the station a move_buffer takes buffer capacity from.
	From string `json:"from,omitempty"`
	// Units is the capacity a move_buffer moves.
	Units int `json:"units,omitempty"`
	// FromCapacity is the From buffer's capacity after a move_buffer.
	FromCapacity *int `json:"from_capacity,omitempty"`
	// ToCapacity is the Target buffer's capacity after a move_buffer.
	ToCapacity *int `json:"to_capacity,omitempty"`
	// Reason says why, in words.
	Reason string `json:"reason"`
	// Numbers are the figures behind the decision.
	Numbers []numberWire `json:"numbers"`
	// Applied says the action was handed on to be done.
	Applied bool `json:"applied"`
	// NotApplied says why not: recommend_only, held, cap, or "invalid: " and the problem.
	NotApplied string `json:"not_applied,omitempty"`
}

// numberWire is autopilot.Number as its MarshalJSON writes it.
type numberWire struct {
	// Name names the figure.
	Name string `json:"name"`
	// Value is the figure (null when it is not finite).
	Value *float64 `json:"value"`
}

// wireCopies map the types with a MarshalJSON of their own to a struct of
// the same keys.
var wireCopies = map[reflect.Type]reflect.Type{
	reflect.TypeFor[autopilot.Decision](): reflect.TypeFor[decisionWire](),
	reflect.TypeFor[autopilot.Number]():   reflect.TypeFor[numberWire](),
}

// keysOf lists the keys of documents of type t under prefix.
func keysOf(t reflect.Type, prefix string, out *[]apiKey) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if w, ok := wireCopies[t]; ok {
		t = w
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			keysOf(f.Type, prefix, out)
			continue
		}
		if name == "" {
			name = f.Name
		}
		*out = append(*out, apiKey{prefix + name, jsonKind(f.Type, tag), path.Base(t.PkgPath()) + "." + t.Name(), f.Name})
		if f.Type == simTimeType || f.Type == timeType {
			continue
		}
		keysOf(f.Type, prefix+name+".", out)
	}
}

// fieldDocs maps "package.Type.Field" to the first sentence of the field's
// doc comment, from the Go source of the packages the documents come from
// and of this file (for the wire copies).
func fieldDocs(t *testing.T) map[string]string {
	t.Helper()
	docs := map[string]string{}
	for _, dir := range []string{".", "../monitor", "../forecast", "../mirror", "../autopilot", "../sparkplug/host"} {
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") && name != "apidoc_test.go" {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok {
					return true
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fl := range st.Fields.List {
					text := ""
					if fl.Doc != nil {
						text = fl.Doc.Text()
					} else if fl.Comment != nil {
						text = fl.Comment.Text()
					}
					text = strings.Join(strings.Fields(text), " ")
					text = regexp.MustCompile(`\[([A-Za-z.]+)\]`).ReplaceAllString(text, "$1")
					for _, n := range fl.Names {
						docs[f.Name.Name+"."+ts.Name.Name+"."+n.Name] = firstSentence(text)
					}
				}
				return true
			})
		}
	}
	return docs
}

// firstSentence returns s up to its first full stop followed by a space.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

const (
	genStart = "<!-- generated by go test ./twin/api -run TestAPIPage -update-api-doc: do not edit below -->"
	genEnd   = "<!-- end of generated part -->"
)

// apiTables writes the generated part of the page.
func apiTables(t *testing.T) string {
	docs := fieldDocs(t)
	var b strings.Builder
	for _, d := range apiDocuments() {
		var keys []apiKey
		keysOf(reflect.TypeOf(d.v), "", &keys)
		fmt.Fprintf(&b, "\n### %s\n\n| key | JSON type | meaning |\n| --- | --- | --- |\n", d.title)
		for _, k := range keys {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", k.path, k.kind, docs[k.owner+"."+k.field])
		}
	}
	return b.String()
}

// docs/api.md documents every key of every JSON document of the API, and
// only those: its tables are generated from the Go types (keys, JSON
// types, field comments), and this test fails when they are stale.
func TestAPIPage(t *testing.T) {
	page, err := os.ReadFile(apiPage)
	if err != nil {
		t.Fatal(err)
	}
	head, rest, ok1 := strings.Cut(string(page), genStart)
	_, tail, ok2 := strings.Cut(rest, genEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the generated part's markers", apiPage)
	}
	want := head + genStart + "\n" + apiTables(t) + "\n" + genEnd + tail
	if *updateAPIDoc {
		if err := os.WriteFile(apiPage, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != string(page) {
		t.Errorf("%s is stale: run go test ./twin/api -run TestAPIPage -update-api-doc", apiPage)
	}
	docs := fieldDocs(t)
	for _, d := range apiDocuments() {
		var keys []apiKey
		keysOf(reflect.TypeOf(d.v), "", &keys)
		for _, k := range keys {
			last := k.path[strings.LastIndex(k.path, ".")+1:]
			if !snake.MatchString(last) {
				t.Errorf("%s: key %s is not snake_case", d.title, k.path)
			}
			if docs[k.owner+"."+k.field] == "" {
				t.Errorf("%s: key %s has no meaning: write a doc comment on %s.%s", d.title, k.path, k.owner, k.field)
			}
		}
	}
}

// documentedKeys returns the keys the page's tables name, by their last
// element.
func documentedKeys(t *testing.T) map[string]bool {
	t.Helper()
	page, err := os.ReadFile(apiPage)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z0-9_.]+)` \\|").FindAllStringSubmatch(string(page), -1) {
		keys[m[1][strings.LastIndex(m[1], ".")+1:]] = true
	}
	return keys
}

// Every key of every answer the API serves, on a running twin with a
// forecast, a what-if, a command, an autopilot and an error, is snake_case
// and documented in docs/api.md.
func TestEveryAnswerIsSnakeCaseAndDocumented(t *testing.T) {
	documented := documentedKeys(t)
	var seen []string
	check := func(what string, body []byte) {
		t.Helper()
		var doc any
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v: %s", what, err, body)
		}
		walkKeys(doc, func(k string) {
			if !snake.MatchString(k) {
				t.Errorf("%s: key %q is not snake_case", what, k)
			}
			seen = append(seen, k)
			if !documented[k] {
				t.Errorf("%s: key %q is not in %s", what, k, apiPage)
			}
		})
	}
	_, _, hd := forecastLine(t, 2, 5*sim.Minute, forecast.Config{Seed: 1, Replications: 2, Shift: 30 * time.Minute})
	for _, target := range []string{"/api/state", "/api/tree", "/api/kpis", "/api/deviations", "/api/forecast?replications=2&seed=3"} {
		rec := serve(hd, "GET", target, "")
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		check(target, rec.Body.Bytes())
	}
	rec := serve(hd, "POST", "/api/whatif", `{"buffer":{"station":"test","capacity":8},"replications":2,"seed":"4"}`)
	if rec.Code != 200 {
		t.Fatalf("whatif: %d %s", rec.Code, rec.Body)
	}
	check("/api/whatif", rec.Body.Bytes())
	rec = serve(hd, "POST", "/api/whatif", `{"buffer":{"station":"nowhere","capacity":8}}`)
	check("/api/whatif (error)", rec.Body.Bytes())
	_, ap := newFlown(t)
	check("/api/autopilot", getQuery(ap, "/api/autopilot", "").Body.Bytes())
	rec = serve(ap, "POST", "/api/autopilot", `{"action":"hold","reason":"trial"}`)
	if rec.Code != 200 {
		t.Fatalf("autopilot hold: %d %s", rec.Code, rec.Body)
	}
	check("POST /api/autopilot", rec.Body.Bytes())
	for _, k := range []string{"edge_node", "observed_s", "shift_start_s", "what_if", "delta_p50", "messages"} {
		if !slices.Contains(seen, k) {
			t.Errorf("no answer had key %q: the walk misses a document", k)
		}
	}
}

// dataMaps are the keys whose objects are keyed by data (deviation
// kinds), not by field names.
var dataMaps = map[string]bool{"counts": true}

// walkKeys calls f with every object key in doc but those of dataMaps'
// objects.
func walkKeys(doc any, f func(string)) {
	switch x := doc.(type) {
	case map[string]any:
		for k, v := range x {
			f(k)
			if !dataMaps[k] {
				walkKeys(v, f)
			}
		}
	case []any:
		for _, v := range x {
			walkKeys(v, f)
		}
	}
}

// The wire copies have the keys the real types write, with every optional
// field set.
func TestWireCopies(t *testing.T) {
	for _, a := range []autopilot.Action{
		{Kind: autopilot.Maintain, Target: "t", Server: 1, Reason: "r", Numbers: []autopilot.Number{{Name: "n", Value: 1}}},
		{Kind: autopilot.SetSpeed, Target: "t", Speed: 1.2, Reason: "r"},
		{Kind: autopilot.MoveBuffer, Target: "t", From: "f", Units: 2, FromCapacity: 3, ToCapacity: 4, Reason: "r"},
	} {
		b, err := json.Marshal(autopilot.Decision{Seq: 1, At: sim.Minute, Policy: "p", Action: a, NotApplied: "cap"})
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		var wire []apiKey
		keysOf(reflect.TypeFor[decisionWire](), "", &wire)
		for k := range got {
			if !slices.ContainsFunc(wire, func(w apiKey) bool { return w.path == k }) {
				t.Errorf("Decision writes %q, which decisionWire lacks", k)
			}
		}
		if n, ok := got["numbers"].([]any); ok && len(n) > 0 {
			for k := range n[0].(map[string]any) {
				if k != "name" && k != "value" {
					t.Errorf("Number writes %q, which numberWire lacks", k)
				}
			}
		}
	}
}
