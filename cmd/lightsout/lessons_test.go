package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/configs"
)

func TestLessons(t *testing.T) {
	r := lightsout(t, "lessons")
	if r.code != exitOK || len(lines(r.stdout)) != len(configs.LessonNames()) {
		t.Fatalf("lessons: status %d, stdout:\n%s", r.code, r.stdout)
	}
	for _, want := range []string{"blocking-and-starvation", "1h", "Blocking and starvation", "predictive-maintenance", "3d"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lessons: no %q in\n%s", want, r.stdout)
		}
	}
	src, err := configs.LessonSource("six-big-losses")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"lessons", "show", "six-big-losses"}, {"configs", "show", "six-big-losses"}} {
		if r := lightsout(t, args...); r.code != exitOK || r.stdout != string(src) {
			t.Errorf("%v: status %d, stdout:\n%s", args, r.code, r.stdout)
		}
	}
	if r := lightsout(t, "lessons", "show", "nope"); r.code != exitBadInput || !strings.Contains(r.stderr, "six-big-losses") {
		t.Errorf("lessons show nope: status %d, stderr %q", r.code, r.stderr)
	}
	r = lightsout(t, "configs")
	head, tail, ok := strings.Cut(r.stdout, "\nlessons ")
	if r.code != exitOK || !ok || !strings.Contains(head, "demo-line") || strings.Contains(head, "six-big-losses") ||
		!strings.Contains(tail, "six-big-losses") || !strings.Contains(tail, "The six big losses of OEE (demo-line)") {
		t.Errorf("configs: status %d, want configs then a lessons section:\n%s", r.code, r.stdout)
	}
}

func TestLessonsValidate(t *testing.T) {
	r := lightsout(t, "lessons", "validate", "blocking-and-starvation")
	if r.code != exitOK || !strings.Contains(r.stdout, "00:20:00 do break placer server 1 on line 1") {
		t.Errorf("validate: status %d, stdout:\n%s", r.code, r.stdout)
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := "config: demo-line\nlength: 1h\nevents:\n  - {at: 2h, do: break placr}\n  - {at: 1m, callout: {station: pak, text: hi}}\n"
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r = lightsout(t, "lessons", "validate", path)
	got := lines(r.stderr)
	if r.code != exitBadInput || len(got) != 3 || !strings.HasPrefix(got[0], path+": events[0].at: 2h is after") ||
		!strings.HasPrefix(got[1], path+`: events[0].do: no station "placr"`) ||
		!strings.HasPrefix(got[2], path+`: events[1].callout.station: no station "pak"`) {
		t.Errorf("validate bad: status %d, stderr:\n%s", r.code, r.stderr)
	}
}
