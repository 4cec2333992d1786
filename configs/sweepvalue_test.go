package configs

import (
	"strings"
	"testing"
)

// A point's value of each varied path is its own, else the sweep's set,
// else the base config's, else null.
func TestSweepValues(t *testing.T) {
	sw, err := ParseSweep("v.yaml", "", []byte(`
base: demo-line
set: {"stations[test].buffer": 6, "arms[arm-1].speed": 2}
scenarios:
  - name: base
  - name: bigger
    set: {"stations[test].buffer": 9}
  - name: faster
    set: {"arms[arm-1].speed": 2.5}
  - name: oven
    set: {"stations[oven].conveyor": {dwell: 2m, pitch: 4s}, "stations[oven].defect_rate": 0.01}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"base":   `6 2 {"dwell":"3m","pitch":"5s"} null`,
		"bigger": `9 2 {"dwell":"3m","pitch":"5s"} null`,
		"faster": `6 2.5 {"dwell":"3m","pitch":"5s"} null`,
		"oven":   `6 2 {"dwell":"2m","pitch":"4s"} 0.01`,
	}
	if got := strings.Join(sw.Params, " "); got != "stations[test].buffer arms[arm-1].speed stations[oven].conveyor stations[oven].defect_rate" {
		t.Fatalf("params %s", got)
	}
	for i, p := range sw.Points {
		vals, err := sw.Values(i)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range vals {
			got = append(got, string(v))
		}
		if strings.Join(got, " ") != want[p.Name] {
			t.Errorf("point %s: values %s, want %s", p.Name, strings.Join(got, " "), want[p.Name])
		}
	}
}

func TestTitle(t *testing.T) {
	title, err := Title("two-machine")
	if err != nil || !strings.HasPrefix(title, "Classic two-machine line") || strings.Contains(title, "\n") {
		t.Errorf("Title(two-machine) = %q, %v", title, err)
	}
	if _, err := Title("no-such-line"); err == nil {
		t.Error("no error for an unknown config")
	}
}
