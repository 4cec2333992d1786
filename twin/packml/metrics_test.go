package packml_test

import (
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

func TestMetricTable(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range packml.Metrics() {
		if seen[m.Name] {
			t.Errorf("%s defined twice", m.Name)
		}
		seen[m.Name] = true
		if !m.Type.ValidMetric() || len(m.Scopes) == 0 || m.Doc == "" {
			t.Errorf("%s: type %v, scopes %v, doc %q", m.Name, m.Type, m.Scopes, m.Doc)
		}
		if typ, ok := packml.TypeOf(m.Name); !ok || typ != m.Type {
			t.Errorf("TypeOf(%s) = %v %v", m.Name, typ, ok)
		}
		if strings.HasPrefix(m.Name, "Command/") != m.Command {
			t.Errorf("%s: command %v", m.Name, m.Command)
		}
	}
	for _, tc := range []struct {
		name string
		typ  sparkplug.DataType
		ok   bool
	}{
		{"Server 3/Phase", sparkplug.String, true},
		{"Server 12/StateNumber", sparkplug.Int32, true},
		{"Server 1/Defective", sparkplug.Boolean, true},
		{"Server 1/Buffer/Level", 0, false},
		{"Server 0/Phase", 0, false},
		{"Server 01/Phase", 0, false},
		{"Phase/Level", 0, false},
		{"bdSeq", 0, false},
	} {
		typ, ok := packml.TypeOf(tc.name)
		if ok != tc.ok || ok && typ != tc.typ {
			t.Errorf("TypeOf(%q) = %v %v, want %v %v", tc.name, typ, ok, tc.typ, tc.ok)
		}
	}
	if got := packml.ServerMetric(2, packml.MetricServerPhase); got != "Server 2/Phase" {
		t.Errorf("ServerMetric = %q", got)
	}
}

// The package documentation and the README list every metric of the
// contract, so that neither can drift from the table.
func TestMetricsDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	text := f.Doc.Text()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range packml.Metrics() {
		if !strings.Contains(text, m.Name) {
			t.Errorf("package doc does not mention %s", m.Name)
		}
		listed := "`" + m.Name + "`"
		if slices.Equal(m.Scopes, []packml.Scope{packml.ServerScope}) {
			listed = "`Server k/" + m.Name + "`"
		}
		if !strings.Contains(string(readme), listed) {
			t.Errorf("README does not list %s", listed)
		}
	}
}

func TestNodeNames(t *testing.T) {
	if id := packml.NodeID("phone-factory", 1); id != "phone-factory-L2" {
		t.Errorf("NodeID = %q", id)
	}
	for _, tc := range []struct {
		id string
		k  int
		ok bool
	}{
		{"line-L1", 0, true}, {"line-L3", 2, true}, {"line-L4", 0, false}, {"line-L0", 0, false},
		{"line-L01", 0, false}, {"line-L", 0, false}, {"other-L1", 0, false}, {"line-L1x", 0, false},
	} {
		k, ok := packml.CopyOf("line", tc.id, 3)
		if ok != tc.ok || k != tc.k {
			t.Errorf("CopyOf(%q) = %d %v", tc.id, k, ok)
		}
	}
}

func TestDesignSpeed(t *testing.T) {
	spec, err := configs.Embedded("demo-line")
	if err != nil {
		t.Fatal(err)
	}
	for i := range spec.Stations {
		got := packml.DesignSpeed(spec, i)
		want := float64(spec.Stations[i].Servers) * 60 / spec.IdealCycle(i).Seconds()
		if spec.Stations[i].Conveyor != nil {
			want = 60 / spec.Stations[i].Conveyor.Pitch.Seconds()
		}
		if got != want || got <= 0 {
			t.Errorf("%s: %v, want %v", spec.Stations[i].ID, got, want)
		}
	}
}
