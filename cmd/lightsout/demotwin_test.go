package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sim"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// maintainDCMD is a Command/Maintain seen on the broker.
type maintainDCMD struct {
	node, device string
	server       int
}

// watchMaintains subscribes to every DCMD on the broker at url and sends
// the Command/Maintain ones on the returned channel; it reads the metric
// names of their aliases from the devices' births.
func watchMaintains(ctx context.Context, t *testing.T, url string) <-chan maintainDCMD {
	t.Helper()
	out := make(chan maintainDCMD, 100)
	var mu sync.Mutex
	names := map[string]map[uint64]string{} // node/device -> alias -> name, from the DBIRTHs
	o := link.Options{Broker: url, ClientID: "dcmd-watcher", Log: zaptest.NewLogger(t)}
	o.OnMessage = func(topic string, payload []byte) {
		tp, err := sparkplug.ParseTopic(topic)
		if err != nil || tp.Type != sparkplug.DCMD && tp.Type != sparkplug.DBIRTH {
			return
		}
		var p sparkplug.Payload
		if err := sparkplug.Unmarshal(payload, &p); err != nil {
			t.Errorf("a %v that does not decode: %v", tp.Type, err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		key := tp.EdgeNode + "/" + tp.Device
		if tp.Type == sparkplug.DBIRTH {
			names[key] = map[uint64]string{}
			for _, m := range p.Metrics {
				if m.HasAlias {
					names[key][m.Alias] = m.Name
				}
			}
			return
		}
		c := maintainDCMD{node: tp.EdgeNode, device: tp.Device}
		maintain := false
		for _, m := range p.Metrics {
			name := m.Name
			if name == "" && m.HasAlias {
				name = names[key][m.Alias]
			}
			switch name {
			case packml.MetricCmdMaintain:
				maintain, _ = m.Value.Boolean()
			case packml.MetricCmdServer:
				n, _ := m.Value.Int64()
				c.server = int(n)
			}
		}
		if maintain {
			select {
			case out <- c:
			default:
			}
		}
	}
	w, err := link.Dial(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(context.Background()) })
	for _, f := range []string{"spBv1.0/+/DCMD/#", "spBv1.0/+/DBIRTH/#"} {
		if err := w.Subscribe(ctx, f, 1); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// getBody GETs url and returns the status and body.
func getBody(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// conditionAfter returns server's latest condition reading of a device
// in the /api/state document b, if taken after simulated time after.
func conditionAfter(b []byte, node, device string, server int, after sim.Time) (float64, bool) {
	var st api.StateJSON
	if json.Unmarshal(b, &st) != nil {
		return 0, false
	}
	num := func(v any) float64 { f, _ := v.(float64); return f }
	for _, n := range st.Nodes {
		if n.EdgeNode != node {
			continue
		}
		var epochMs float64
		for _, m := range n.Metrics {
			if m.Name == packml.MetricSimTime {
				epochMs = float64(m.Timestamp) - num(m.Value)
			}
		}
		for _, d := range n.Devices {
			if d.ID != device {
				continue
			}
			v, at := 0.0, -1.0
			for _, m := range d.Metrics {
				switch m.Name {
				case packml.ServerMetric(server, packml.MetricServerCondition):
					v = num(m.Value)
				case packml.ServerMetric(server, packml.MetricServerConditionAt):
					at = num(m.Value)
				}
			}
			return v, at >= 0 && sim.Time(at-epochMs)*sim.Millisecond > after
		}
	}
	return 0, false
}

// demo-twin --autopilot predictive acts on the edge over MQTT: its
// Command/Maintain DCMDs are on the broker, /api/autopilot lists the
// decisions behind them in snake_case, and the maintained server's
// condition reading comes back to a new machine's.
func TestDemoTwinAutopilotMaintainsOverMQTT(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a line over MQTT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b, err := link.StartBroker("127.0.0.1:0", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	maints := watchMaintains(ctx, t, b.URL())
	t.Setenv("LIGHTSOUT_API_TOKEN", "autopilot-test-token-0123")
	base := "http://127.0.0.1:" + freePort(t)
	tctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan int, 1)
	go func() {
		_, _, code := runWithReplay(tctx, "demo-twin", "--config", "phone-factory", "--speed", "20000",
			"--broker", b.URL(), "--http", strings.TrimPrefix(base, "http://"), "--autopilot", "predictive", "--every", "1s")
		done <- code
	}()

	var c maintainDCMD
	select {
	case c = <-maints:
	case code := <-done:
		t.Fatalf("demo-twin ended (exit %d) before any Command/Maintain", code)
	case <-ctx.Done():
		t.Fatal("no Command/Maintain DCMD on the broker")
	}
	if c.server < 1 {
		t.Fatalf("Command/Maintain to %s/%s without its server", c.node, c.device)
	}

	// The decision behind it, in snake_case.
	code, body := getBody(t, base+"/api/autopilot")
	var doc map[string]any
	if code != http.StatusOK || json.Unmarshal(body, &doc) != nil {
		t.Fatalf("/api/autopilot: %d %s", code, body)
	}
	snake := regexp.MustCompile(`"([A-Za-z0-9_]+)":`)
	for _, k := range snake.FindAllStringSubmatch(string(body), -1) {
		if strings.ToLower(k[1]) != k[1] {
			t.Errorf("/api/autopilot key %q is not snake_case", k[1])
		}
	}
	var st autopilot.Status
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	var found *autopilot.Decision
	for i, d := range st.Decisions {
		if d.Applied && d.Action.Kind == autopilot.Maintain && d.Action.Target == c.device && d.Action.Server+1 == c.server &&
			packml.NodeID("phone-factory", d.Action.Line) == c.node && d.Action.Reason != "" && len(d.Action.Numbers) > 0 {
			found = &st.Decisions[i]
			break
		}
	}
	if st.Policy != "predictive" || found == nil {
		t.Fatalf("/api/autopilot does not list the maintenance of %+v applied, with its reason and numbers:\n%s", c, body)
	}

	// Health restored: the server's condition reads as a nearly new
	// machine's soon after (the reading is how the twin sees health).
	spec, err := configs.Resolve("phone-factory")
	if err != nil {
		t.Fatal(err)
	}
	cs := spec.Stations[stationIndexOf(t, spec.Stations, c.device)].Wear.Sensor
	for _, n := range found.Action.Numbers {
		if n.Name == "level" && mirror.HealthOf(cs, n.Value) > 0.5 {
			t.Fatalf("maintained at a condition level of %v (health %.2f): not worn", n.Value, mirror.HealthOf(cs, n.Value))
		}
	}
	for {
		_, state := getBody(t, base+"/api/state")
		if v, ok := conditionAfter(state, c.node, c.device, c.server, found.At); ok && mirror.HealthOf(cs, v) > 0.8 {
			break
		}
		select {
		case <-time.After(100 * time.Millisecond):
		case code := <-done:
			t.Fatalf("demo-twin ended (exit %d) before the maintained server read healthy", code)
		case <-ctx.Done():
			t.Fatalf("%s server %d on %s never read healthy after its maintenance", c.device, c.server, c.node)
		}
	}

	// Holding needs the token; held, the pilot says so on /metrics too.
	hold := `{"action":"hold","reason":"test"}`
	req, _ := http.NewRequest(http.MethodPost, base+"/api/autopilot", strings.NewReader(hold))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("hold without the token: %d, want 401", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodPost, base+"/api/autopilot", strings.NewReader(hold))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer autopilot-test-token-0123")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, metrics := getBody(t, base+"/metrics")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(metrics), "lightsout_twin_autopilot_held 1") ||
		!strings.Contains(string(metrics), `lightsout_twin_autopilot_decisions_by_outcome_total{outcome="applied"}`) {
		t.Errorf("hold: %d; /metrics does not show the pilot held with its decisions", resp.StatusCode)
	}
	stop()
	if code := <-done; code != exitInterrupted {
		t.Errorf("demo-twin exit %d after Ctrl-C, want %d", code, exitInterrupted)
	}
}

func stationIndexOf(t *testing.T, sts []stations.Spec, id string) int {
	t.Helper()
	for i := range sts {
		if sts[i].ID == id {
			return i
		}
	}
	t.Fatalf("no station %q", id)
	return -1
}

// A recording of demo-twin with an autopilot, replayed with the same
// autopilot flags, gives the same decisions.
func TestReplayMakesTheDemoTwinsDecisions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a line over MQTT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rec := filepath.Join(t.TempDir(), "run.jsonl")
	flags := []string{"--autopilot", "predictive", "--autopilot-param", "predictive.lead=6h", "--max-actions-per-hour", "4"}
	out, errs, code := runWithReplay(ctx, append([]string{"demo-twin", "--config", "phone-factory", "--speed", "20000",
		"--broker-listen", "127.0.0.1:0", "--http", "", "--for", "6s", "--every", "1s", "--record", rec}, flags...)...)
	if code != exitOK {
		t.Fatalf("demo-twin: exit %d\n%s", code, errs)
	}
	live := decisionLines(out)
	if len(live) == 0 {
		t.Fatalf("demo-twin made no decision:\n%s", out)
	}
	out, errs, code = runWithReplay(ctx, append([]string{"replay", "--log", rec, "--config", "phone-factory",
		"--host-id", demoHostID}, flags...)...)
	if code != exitOK {
		t.Fatalf("replay: exit %d\n%s", code, errs)
	}
	again := decisionLines(out)
	if strings.Join(live, "\n") != strings.Join(again, "\n") {
		t.Fatalf("live decisions:\n%s\nreplayed:\n%s", strings.Join(live, "\n"), strings.Join(again, "\n"))
	}
	if b, _ := os.ReadFile(rec); !strings.Contains(string(b), "DCMD") {
		t.Error("the recording holds no DCMD: the autopilot's commands were not on the broker")
	}
}

// decisionLines returns the "autopilot: " lines of out.
func decisionLines(out string) []string {
	var ds []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "autopilot: ") {
			ds = append(ds, l)
		}
	}
	return ds
}

// One rule for the config's autopilot: block: demo-twin and replay fly it
// as batch does, and --autopilot replaces it. A demo-twin flying the
// block and a replay flying the same settings from flags decide the
// same; a replay with the block decides the same again; --autopilot none
// on top of the block decides nothing.
func TestAutopilotBlockInTheTwin(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a line over MQTT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	rec := filepath.Join(dir, "run.jsonl")
	block := writeFile(t, "factory.yaml", mustSource(t, "phone-factory")+
		"\nautopilot:\n  policy: predictive\n  params: [predictive.lead=6h]\n  max_actions_per_hour: 4\n")
	flags := []string{"--autopilot", "predictive", "--autopilot-param", "predictive.lead=6h", "--max-actions-per-hour", "4"}
	out, errs, code := runWithReplay(ctx, "demo-twin", "--config", block, "--speed", "20000",
		"--broker-listen", "127.0.0.1:0", "--http", "", "--for", "4s", "--every", "1s", "--record", rec)
	if code != exitOK {
		t.Fatalf("demo-twin: exit %d\n%s", code, errs)
	}
	live := decisionLines(out)
	if len(live) == 0 {
		t.Fatalf("demo-twin with the config's autopilot block made no decision:\n%s", out)
	}
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"flags", append([]string{"--config", "phone-factory"}, flags...), live},
		{"block", []string{"--config", block}, live},
		{"--autopilot none over the block", []string{"--config", block, "--autopilot", "none"}, nil},
	} {
		out, errs, code = runWithReplay(ctx, append([]string{"replay", "--log", rec, "--host-id", demoHostID}, c.args...)...)
		if code != exitOK {
			t.Fatalf("replay with %s: exit %d\n%s", c.name, code, errs)
		}
		if got := decisionLines(out); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("replay with %s decided:\n%s\nwant:\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}
