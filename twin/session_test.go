package twin_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// A session log written as JSON and read back replays to the same line.
func TestSessionLogRoundTrip(t *testing.T) {
	live := newLine(t, "demo-line", 5)
	live.RunFor(20 * sim.Minute)
	for _, c := range []twin.Command{
		{Kind: twin.BreakStation, Target: "test"},
		{Kind: twin.SetBuffer, Target: "pack", Capacity: -1}, // inf
		{Kind: twin.HoldStation, Target: "placer"},
		{Kind: twin.SetSpeed, Target: "test", Speed: 1.25},
		{Kind: twin.UnholdStation, Target: "placer"},
		{Kind: twin.ResetStation, Target: "test"},
	} {
		if err := live.Do(c); err != nil {
			t.Fatal(err)
		}
		live.RunFor(7 * sim.Minute)
	}
	var buf bytes.Buffer
	if err := twin.WriteSessionLog(&buf, live.SessionLog("demo-line")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"capacity": "inf"`) || !strings.Contains(buf.String(), `"server": 1`) {
		t.Errorf("log does not read as people count:\n%s", buf.String())
	}
	for _, want := range []string{`"kind": "hold"`, `"kind": "unhold"`, `"kind": "reset"`, `"kind": "speed"`, `"speed": 1.25`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log has no %s:\n%s", want, buf.String())
		}
	}
	s, err := twin.ReadSessionLog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := s.Timed()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(cmds), len(live.Log()); got != want {
		t.Fatalf("%d commands read back, want %d", got, want)
	}
	for i, tc := range live.Log() {
		if cmds[i].At != tc.At || cmds[i].Cmd != tc.Cmd {
			t.Errorf("command %d read back as %v at %v, want %v at %v", i, cmds[i].Cmd, cmds[i].At, tc.Cmd, tc.At)
		}
	}
	again := newLine(t, s.Config, uint64(s.Seed))
	if err := again.Replay(cmds, s.Until); err != nil {
		t.Fatal(err)
	}
	if again.Now() != live.Now() || !reflect.DeepEqual(again.Result(), live.Result()) {
		t.Error("replayed session differs from the live one")
	}
}

func TestSessionLogErrors(t *testing.T) {
	for _, tt := range []struct{ name, json, want string }{
		{"unknown field", `{"config":"x","seed":"1","until_s":0,"commands":[],"extra":1}`, "unknown field"},
		{"no config", `{"seed":"1","until_s":0,"commands":[]}`, "config: missing"},
		{"unknown kind", `{"config":"x","until_s":9,"commands":[{"at_s":1,"kind":"explode","line":1,"target":"a"}]}`, `commands[0]: unknown kind "explode"`},
		{"backwards", `{"config":"x","until_s":9,"commands":[{"at_s":5,"kind":"break","line":1,"target":"a","server":1},{"at_s":2,"kind":"repair","line":1,"target":"a","server":1}]}`, "commands[1]: at_s 2 is before"},
		{"server 0", `{"config":"x","until_s":9,"commands":[{"at_s":5,"kind":"break","line":1,"target":"a"}]}`, "servers count from 1"},
		{"bad capacity", `{"config":"x","until_s":9,"commands":[{"at_s":5,"kind":"set-buffer","line":1,"target":"a","capacity":"lots"}]}`, "capacity"},
		{"speed 0", `{"config":"x","until_s":9,"commands":[{"at_s":5,"kind":"speed","line":1,"target":"a"}]}`, "commands[0]: speed 0"},
		{"speed 12", `{"config":"x","until_s":9,"commands":[{"at_s":5,"kind":"speed","line":1,"target":"a","speed":12}]}`, "speed 12"},
		{"until before", `{"config":"x","until_s":1,"commands":[{"at_s":5,"kind":"break-arm","line":1,"target":"a"}]}`, "until_s 1 is before"},
		{"not JSON", `{"config":`, "session log"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := twin.ReadSessionLog(strings.NewReader(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
