package configs

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/lesson"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// Every embedded lesson validates, and each of its events names a
// station (or arm) its line has.
func TestEmbeddedLessonsValidate(t *testing.T) {
	names := LessonNames()
	for _, want := range []string{"bottleneck-and-buffers", "blocking-and-starvation", "six-big-losses",
		"inspection-and-rework", "predictive-maintenance"} {
		if !slices.Contains(names, want) {
			t.Errorf("no embedded lesson %q (have %v)", want, names)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ls, err := LoadLesson(name)
			if err != nil {
				t.Fatal(err)
			}
			if ls.Name != name || ls.Title == "" || ls.Description == "" || ls.Length <= 0 {
				t.Errorf("name %q, title %q, description %d chars, length %v: want all set", ls.Name, ls.Title, len(ls.Description), ls.Length)
			}
			ids := map[string]bool{}
			for _, s := range ls.Spec.Stations {
				ids[s.ID] = true
			}
			for _, a := range ls.Spec.Arms {
				ids[a.ID] = true
			}
			kinds := map[lesson.Kind]int{}
			for i, e := range ls.Events {
				kinds[e.Kind]++
				if i > 0 && e.At < ls.Events[i-1].At {
					t.Errorf("event %d (%v) is before the one listed before it", i, &e)
				}
				if e.At > ls.Length {
					t.Errorf("event %v is after the lesson's length %v", &e, ls.Length)
				}
				switch e.Kind {
				case lesson.Command:
					if !ids[e.Command.Target] {
						t.Errorf("event %v: no %q in %s", &e, e.Command.Target, ls.Spec.Name)
					}
				case lesson.Callout:
					if !ids[e.Station] {
						t.Errorf("event %v: no station %q in %s", &e, e.Station, ls.Spec.Name)
					}
				}
			}
			for _, k := range []lesson.Kind{lesson.Command, lesson.Callout, lesson.Question} {
				if kinds[k] == 0 {
					t.Errorf("no %s event: every lesson has commands, callouts and questions", k)
				}
			}
			// Every command applies on the line at its time.
			line, err := twin.NewLine(ls.Spec, ls.Seed, nil)
			if err != nil {
				t.Fatal(err)
			}
			if testing.Short() && ls.Length > 3*sim.Hour {
				return
			}
			fired, _ := lesson.NewTimeline(ls.Events).Advance(line, ls.Length, false, nil)
			if len(fired) != len(ls.Events) {
				t.Errorf("%d of %d events fired over the lesson", len(fired), len(ls.Events))
			}
			for _, f := range fired {
				if f.Err != nil {
					t.Errorf("%v: %v", f.Event, f.Err)
				}
			}
			for _, tc := range line.Log() {
				if tc.Err != "" {
					t.Errorf("%v at %v: %s", tc.Cmd, tc.At, tc.Err)
				}
			}
		})
	}
	if src, err := LessonSource("bottleneck-and-buffers.yaml"); err != nil || !strings.Contains(string(src), "events:") {
		t.Errorf("LessonSource: %v", err)
	}
	if _, err := LessonSource("no-such"); err == nil || !strings.Contains(err.Error(), "bottleneck-and-buffers") {
		t.Errorf("LessonSource of an unknown name: %v, want the list of lessons", err)
	}
}

// A lesson's timeline runs through the engine: the placer is up until
// 0:20 and down from 0:20, then repaired at 0:35.
func TestLessonTimelineOnTheEngine(t *testing.T) {
	ls, err := LoadLesson("blocking-and-starvation")
	if err != nil {
		t.Fatal(err)
	}
	line, err := twin.NewLine(ls.Spec, ls.Seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	var snap twin.Snapshot
	placer := func() stations.ServerView {
		line.SnapshotInto(&snap)
		for _, s := range snap.Stations {
			if s.ID == "placer" {
				return s.Servers[0]
			}
		}
		t.Fatal("no placer in the snapshot")
		return stations.ServerView{}
	}
	tl := lesson.NewTimeline(ls.Events)
	fired, _ := tl.Advance(line, 20*sim.Minute-sim.Second, false, nil)
	if p := placer(); p.Broken || p.Phase == stations.Down {
		t.Fatalf("the placer is %v (broken %v) at %s, before its break", p.Phase, p.Broken, lesson.Clock(line.Now()))
	}
	for _, f := range fired {
		if f.Event.Kind == lesson.Command {
			t.Errorf("%v fired before 0:20", f.Event)
		}
	}
	fired, stopped := tl.Advance(line, 20*sim.Minute, true, fired[:0])
	if stopped || len(fired) != 2 || fired[0].Event.Kind != lesson.Command || fired[0].Err != nil {
		t.Fatalf("at 0:20: fired %d events (stopped %v), want the break and its callout", len(fired), stopped)
	}
	if p := placer(); !p.Broken || p.Phase != stations.Down || line.Now() != 20*sim.Minute || p.Since != 20*sim.Minute {
		t.Fatalf("at %s the placer is %v since %v (broken %v); want down, broken at 0:20:00", lesson.Clock(line.Now()), p.Phase, p.Since, p.Broken)
	}
	// The pause at 0:24 stops a timeline that stops at pauses.
	fired, stopped = tl.Advance(line, 30*sim.Minute, true, fired[:0])
	if !stopped || line.Now() != 24*sim.Minute || fired[len(fired)-1].Event.Kind != lesson.Pause {
		t.Fatalf("stopped %v at %s; want a stop at the pause, 0:24", stopped, lesson.Clock(line.Now()))
	}
	if p := placer(); p.Phase != stations.Down {
		t.Errorf("the placer is %v at 0:24, want still down", p.Phase)
	}
	tl.Advance(line, 35*sim.Minute, true, nil)
	if p := placer(); p.Broken || p.Phase == stations.Down {
		t.Errorf("the placer is %v (broken %v) at 0:35, want repaired", p.Phase, p.Broken)
	}
	want := []string{"00:20:00 break placer server 1 on line 1", "00:35:00 repair placer server 1 on line 1"}
	var got []string
	for _, tc := range line.Log() {
		got = append(got, lesson.Clock(tc.At)+" "+tc.Cmd.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("the line's log is %q, want %q", got, want)
	}
}

// A bad lesson file gets every problem at once, each with its field.
func TestBadLessonListsEveryProblem(t *testing.T) {
	const bad = `name: broken
speed: 0.5
colour: blue
events:
  - at: 20m
    do: break placr
  - at: 3h
    say: late
  - at: 0:61
    callout: {station: tesst, text: hi}
  - at: 1m
    do: speed test
  - at: 2m
    pause: wait
    say: both
  - at: 3m
    do: set-buffer oven -2
  - at: 4m
    question: why?
    for: 1m
  - at: 5m
    do: break-arm arm-9
  - at: 6m
    do: break test 3
  - say: no time
  - at: 7m
    callout: {station: pack}
  - at: 8m
    do: explode pack
`
	dir := t.TempDir()
	path := filepath.Join(dir, "my-lesson.yaml")
	if err := os.WriteFile(path, []byte(bad+"config: demo-line\nlength: 2h\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadLesson(path)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("LoadLesson: %v, want an *Error", err)
	}
	want := []string{
		path + `: speed: want the window's starting speed, 1 to 10000, got "0.5" (line 2)`,
		path + `: unknown key "colour" (line 3; want one of ` + lessonKeys + `)`,
		path + `: events[0].do: no station "placr" in demo-line (did you mean "placer"?) (line 6)`,
		path + `: events[1].at: 3h is after the lesson's length, 02:00:00 (line 7)`,
		path + `: events[2].at: want a time such as 20m, 1h30m or 0:20 (h:mm), got "0:61"`,
		path + `: events[2].callout.station: no station "tesst" in demo-line (did you mean "test"?) (line 10)`,
		path + `: events[3].do: speed needs a relative speed`,
		path + `: events[4]: pause and say together`,
		path + `: events[5].do: capacity "-2": want 0 to`,
		path + `: events[6].for: only a callout or a say shows for a time (line 20)`,
		path + `: events[7].do: no arm "arm-9" in demo-line (arms: arm-1) (line 22)`,
		path + `: events[8].do: break test server 3 on line 1: test has 1 server(s) (line 24)`,
		path + `: events[9].at: missing`,
		path + `: events[10].callout.text: missing`,
		path + `: events[11].do: unknown command "explode" (want one of break, break-arm,`,
	}
	lines := ce.Lines()
	if len(lines) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for i := range min(len(lines), len(want)) {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, lines[i], want[i])
		}
	}

	for _, c := range []struct{ yaml, want string }{
		{"events: []\n", "length: missing"},
		{"length: 1h\nevents: [{at: 1m, say: hi}]\n", "config: missing"},
		{"config: no-such-line\nlength: 1h\nevents: [{at: 1m, say: hi}]\n", "config: no-such-line: no such file, nor an embedded config"},
		{"config: demo-line\nset: {\"stations[test].bufer\": 2}\nlength: 1h\nevents: [{at: 1m, say: hi}]\n", `config: demo-line.yaml: stations[test].bufer: stations[5]: unknown key "bufer"`},
		{"config: {stations: [{id: a, cycle: 1s, buffer: -1}]}\nlength: 1h\nevents: [{at: 1m, say: hi}]\n", "config: stations[0].buffer: capacity -1 is negative"},
		{"- a list\n", "a lesson file must be a mapping"},
		{"config: demo-line\nlength: 1h\nevents: [{at: 1m, say: hi}\n", "YAML syntax error"},
	} {
		_, err := ParseLesson("l.yaml", "", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseLesson(%q) = %v, want a problem containing %q", c.yaml, err, c.want)
		}
	}
}

// A user's lesson may write its config inline, its times as durations or
// clocks, and point at a config file beside it.
func TestUserLesson(t *testing.T) {
	dir := t.TempDir()
	line := "name: tiny\nstations:\n  - {id: a, cycle: 2s}\n  - {id: b, cycle: 3s}\n"
	if err := os.WriteFile(filepath.Join(dir, "tiny.yaml"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `title: Tiny
config: tiny.yaml
seed: 7
length: 1h30m
events:
  - {at: "1:00:30", do: break b}
  - {at: 90s, callout: {station: a, text: first}, for: 5m}
  - {at: "0:01", question: "Why?", answer: "Because."}
`
	path := filepath.Join(dir, "l.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ls, err := LoadLesson(path)
	if err != nil {
		t.Fatal(err)
	}
	if ls.Name != "l" || ls.Seed != 7 || ls.Length != 90*sim.Minute || ls.Config != "tiny.yaml" || ls.Spec.Name != "tiny" {
		t.Errorf("name %q seed %d length %v config %q line %q", ls.Name, ls.Seed, ls.Length, ls.Config, ls.Spec.Name)
	}
	var got []string
	for _, e := range ls.Events {
		got = append(got, e.String())
	}
	want := []string{"00:01:00 question Why?", "00:01:30 callout a: first", "01:00:30 do break b server 1 on line 1"}
	if !slices.Equal(got, want) {
		t.Errorf("events %q, want %q (in time order)", got, want)
	}
	if ls.Events[0].Answer != "Because." || ls.Events[1].For != 5*sim.Minute {
		t.Errorf("answer %q, for %v", ls.Events[0].Answer, ls.Events[1].For)
	}
	inline := strings.Replace(src, "config: tiny.yaml", "config: {stations: [{id: a, cycle: 2s}, {id: b, cycle: 3s}]}", 1)
	ls, err = ParseLesson("inline.yaml", "", []byte(inline))
	if err != nil {
		t.Fatal(err)
	}
	if ls.Config != "inline" || len(ls.Spec.Stations) != 2 {
		t.Errorf("inline config: %q with %d stations", ls.Config, len(ls.Spec.Stations))
	}
}

// The example lesson in docs/lessons.md is valid.
func TestDocumentedLessonParses(t *testing.T) {
	doc, err := os.ReadFile("../docs/lessons.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml block in docs/lessons.md")
	}
	ls, err := ParseLesson("lessons.md", "", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if ls.Name != "my-lesson" || len(ls.Events) != 6 || ls.Spec.Stations[1].Buffer != 8 {
		t.Errorf("the example reads as %q with %d events, placer buffer %v", ls.Name, len(ls.Events), ls.Spec.Stations[1].Buffer)
	}
}
