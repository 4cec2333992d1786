package report

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin/experiment"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// The HTML report writes fractions as the text report does (94.5%, one
// decimal, the half-width too) and says whether a precision target was
// met.
func TestBatchPercentagesAndPrecision(t *testing.T) {
	tab := kpiTable([]KPI{{"OEE", "%", 0.9446, 0.0052, 5}, {"Good units per hour", "/h", 1151.8, 6.7, 5}}, 0)
	if got := tab.Rows[0]; got[1].Text != "94.5%" || got[2].Text != "0.5%" || got[3].Text != "" {
		t.Errorf("OEE row %+v, want 94.5%% ± 0.5%% and no unit", got)
	}
	if got := tab.Rows[1]; got[3].Text != "/h" {
		t.Errorf("good/h row %+v keeps its unit", got)
	}
	rep := &experiment.Report{Config: "c", Replications: 20,
		Precision: &experiment.Precision{Target: 0.01, Relative: true, Met: true, Rounds: 1, HalfWidthPerHour: 1.2, RelativeHalfWidth: 0.0031}}
	b := FromBatch(rep, sim.Hour)
	want := "good/h ± 1.20 (0.31% of the mean) after 20 replications in 1 round: target 1.00% of the mean met"
	if b.Precision != want {
		t.Errorf("precision %q, want %q", b.Precision, want)
	}
	found := false
	for _, kv := range batchMeta(b) {
		found = found || kv == keyValue{"Precision", want}
	}
	if !found {
		t.Errorf("the page's metadata lacks the precision: %+v", batchMeta(b))
	}
}
