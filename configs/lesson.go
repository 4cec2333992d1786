package configs

import (
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/lesson"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// shippedLessons holds the lessons that ship with Lightsout. It is read-only.
//
//go:embed lessons/*.yaml
var shippedLessons embed.FS

// LessonNames returns the names of the embedded lessons, sorted.
func LessonNames() []string { return embeddedNames(shippedLessons, "lessons") }

// LessonSource returns the YAML text of the embedded lesson called name
// (with or without ".yaml"). An unknown name gives an [*Error] listing the
// known ones.
func LessonSource(name string) ([]byte, error) {
	return embeddedSource(shippedLessons, "lessons", "lesson", name)
}

// IsLesson reports whether name (with or without ".yaml") is an embedded lesson.
func IsLesson(name string) bool {
	return slices.Contains(LessonNames(), strings.TrimSuffix(name, ".yaml"))
}

// LoadLesson reads the lesson file at path, or else the embedded lesson of
// that name (see [LessonNames]), and checks it with [ParseLesson]. A config
// given as a relative path is looked for beside the lesson file.
func LoadLesson(arg string) (*lesson.Lesson, error) {
	fi, statErr := os.Stat(arg)
	if statErr == nil && !fi.IsDir() {
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, &Error{File: arg, Problems: []string{"cannot read: " + err.Error()}, Err: err}
		}
		return ParseLesson(arg, filepath.Dir(arg), data)
	}
	if IsLesson(arg) {
		data, err := LessonSource(arg)
		if err != nil {
			return nil, err
		}
		return ParseLesson(strings.TrimSuffix(arg, ".yaml")+".yaml", "", data)
	}
	msg := "no such file, nor an embedded lesson (embedded: " + strings.Join(LessonNames(), ", ") + ")"
	if statErr == nil {
		msg = "is a directory, not a lesson file"
	}
	return nil, &Error{File: arg, Problems: []string{msg}, Err: fs.ErrNotExist}
}

// lessonKeys are the top-level keys of a lesson file.
const lessonKeys = "config, description, events, length, name, seed, set, speed, title"

// eventKinds are the keys that say what an event does, one per event.
var eventKinds = []string{"do", "say", "callout", "pause", "question"}

// ParseLesson decodes and checks the lesson file data; name is used in
// messages and dir is where a relative config path is looked for ("" for
// embedded lessons). Decoding is strict, as for configs, and every problem
// is reported at once in an [*Error], each with the field it is about:
//
//	my-lesson.yaml: events[2].do: no station "placr" in demo-line (did you mean "placer"?) (line 14)
//	my-lesson.yaml: events[4].at: 3h is after the lesson's length, 2h (line 20)
//
// The file's keys:
//
//	name, title, description  text (name defaults to the file name)
//	config    the line: an embedded config name, a config file (relative to
//	          the lesson file), or the config itself as a mapping
//	set       {path: value} overrides of the config, as in sweep files
//	seed      the seed (default: the config's run.seed)
//	speed     the window's starting speed, 1 to 10000 (default: the window's)
//	length    how long the lesson runs, a simulated span (required)
//	events    [{at, and one of do, say, callout, pause, question}]
//
// An event's at is a simulated time from the start: a duration (20m,
// 1h30m) or a clock h:mm or h:mm:ss (0:20 is 20 minutes). do is a command
// as the window's keys give it: "break placer" (server 1), "break placer
// 2", "repair placer", "hold test", "unhold test", "reset test",
// "speed test 1.5", "set-buffer oven 8" (or inf), "maintain printer",
// "dispatch printer", "break-arm arm-1", "repair-arm arm-1"; with line: N
// for a copy of the line other than the first. callout is {station, text}
// with an optional for (how long it shows); say is text with an optional
// for; pause is text; question is text with an optional answer.
func ParseLesson(name, dir string, data []byte) (*lesson.Lesson, error) {
	ls := &lesson.Lesson{}
	var ps []string
	add := func(format string, a ...any) { ps = append(ps, fmt.Sprintf(format, a...)) }
	fail := func() (*lesson.Lesson, error) { return nil, &Error{File: name, Problems: ps} }

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		add("YAML syntax error: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return fail()
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		add("a lesson file must be a mapping of keys (config:, events: …)")
		return fail()
	}
	var config, events *yaml.Node
	var set []Override
	var seed *uint64
	lengthSet := false
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "name":
			ls.Name = scalarText(v, k.Value, add)
		case "title":
			ls.Title = scalarText(v, k.Value, add)
		case "description":
			ls.Description = strings.TrimSpace(scalarText(v, k.Value, add))
		case "config":
			config = v
		case "set":
			set = overrides(v, "set", add)
		case "seed":
			n, err := strconv.ParseUint(v.Value, 10, 64)
			if v.Kind != yaml.ScalarNode || err != nil {
				add("seed: want a whole number >= 0, got %s (line %d)", describeNode(v), v.Line)
			}
			seed = &n
		case "speed":
			f, err := strconv.ParseFloat(v.Value, 64)
			if v.Kind != yaml.ScalarNode || err != nil || !(f >= 1 && f <= 10000) {
				add("speed: want the window's starting speed, 1 to 10000, got %s (line %d)", describeNode(v), v.Line)
			}
			ls.Speed = f
		case "length":
			t, ok := lessonTime(v, "length", add)
			if ok && t <= 0 {
				add("length: must be positive (line %d)", v.Line)
			}
			ls.Length, lengthSet = t, true
		case "events":
			events = v
		default:
			add("unknown key %q (line %d; want one of %s)", k.Value, k.Line, lessonKeys)
		}
	}
	if ls.Name == "" {
		ls.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	if !lengthSet {
		add("length: missing: how long the lesson runs, e.g. length: 2h")
	}
	if config == nil {
		add("config: missing: the line (an embedded name such as demo-line, a file, or the config itself)")
	} else {
		ls.Spec, ls.Config = lessonSpec(config, set, dir, add)
	}
	if ls.Spec != nil {
		ls.Seed = ls.Spec.Run.Seed
		if seed != nil {
			ls.Seed = *seed
		}
	}
	if events == nil {
		add("events: missing: a lesson needs at least one event")
	} else {
		ls.Events = lessonEvents(events, ls, add)
	}
	if len(ps) > 0 {
		return fail()
	}
	slices.SortStableFunc(ls.Events, func(a, b lesson.Event) int { return cmp.Compare(a.At, b.At) })
	return ls, nil
}

// lessonSpec builds the lesson's line: an embedded or file config, or an
// inline one, with the overrides set. It returns nil after a problem.
func lessonSpec(config *yaml.Node, set []Override, dir string, add func(string, ...any)) (*twin.Spec, string) {
	var base *Base
	var err error
	label := "inline"
	switch config.Kind {
	case yaml.ScalarNode:
		label = config.Value
		base, err = openSweepBase(config.Value, dir)
	case yaml.MappingNode:
		var data []byte
		if data, err = yaml.Marshal(config); err == nil {
			base, err = NewBase("config", data)
		}
	default:
		add("config: want an embedded config name, a file, or a mapping (the config itself), got %s (line %d)", describeNode(config), config.Line)
		return nil, label
	}
	var spec *twin.Spec
	if err == nil {
		spec, err = base.With(set)
	}
	if err != nil {
		ce, ok := err.(*Error)
		if !ok {
			add("config: %v", err)
			return nil, label
		}
		for _, l := range ce.Lines() {
			if config.Kind == yaml.MappingNode {
				l = strings.TrimPrefix(l, "config: ") // the path inside the config follows
			}
			add("config: %s", l)
		}
		return nil, label
	}
	return spec, label
}

// lessonTime reads a lesson time: a duration (20m) or a clock (0:20, 0:20:30).
func lessonTime(v *yaml.Node, at string, add func(string, ...any)) (sim.Time, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		add("%s: want a time such as 20m or 0:20, got %s (line %d)", at, describeNode(v), v.Line)
		return 0, false
	}
	if t, ok := clockTime(v.Value); ok {
		return t, true
	}
	t, err := sim.ParseDuration(v.Value)
	if err != nil {
		add("%s: want a time such as 20m, 1h30m or 0:20 (h:mm), got %q: %v (line %d)", at, v.Value, err, v.Line)
		return 0, false
	}
	return t, true
}

// clockTime reads h:mm or h:mm:ss.
func clockTime(s string) (sim.Time, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var t sim.Time
	units := []sim.Time{sim.Hour, sim.Minute, sim.Second}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (i > 0 && (n > 59 || len(p) != 2)) || n > 10000 {
			return 0, false
		}
		t += sim.Time(n) * units[i]
	}
	return t, true
}

// lessonEvents reads the events list.
func lessonEvents(list *yaml.Node, ls *lesson.Lesson, add func(string, ...any)) []lesson.Event {
	if list.Kind != yaml.SequenceNode {
		add("events: want a list of events ({at: 20m, do: break placer} …), got %s (line %d)", describeNode(list), list.Line)
		return nil
	}
	if len(list.Content) == 0 {
		add("events: empty: a lesson needs at least one event (line %d)", list.Line)
	}
	var out []lesson.Event
	for i, n := range list.Content {
		at := fmt.Sprintf("events[%d]", i)
		if n.Kind != yaml.MappingNode {
			add("%s: want a mapping such as {at: 20m, say: ...}, got %s (line %d)", at, describeNode(n), n.Line)
			continue
		}
		if e, ok := lessonEvent(n, at, ls, add); ok {
			out = append(out, e)
		}
	}
	return out
}

// lessonEvent reads one event; ok is false after a problem.
func lessonEvent(n *yaml.Node, at string, ls *lesson.Lesson, add func(string, ...any)) (lesson.Event, bool) {
	var e lesson.Event
	bad := 0
	problem := func(format string, a ...any) { add(format, a...); bad++ }
	fields := map[string]*yaml.Node{}
	var kinds []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case slices.Contains(eventKinds, k.Value):
			kinds = append(kinds, k.Value)
		case slices.Contains([]string{"at", "for", "answer", "line"}, k.Value):
		default:
			problem("%s: unknown key %q (line %d; want at and one of %s, with for, answer or line)", at, k.Value, k.Line, strings.Join(eventKinds, ", "))
			continue
		}
		fields[k.Value] = v
	}
	switch len(kinds) {
	case 0:
		problem("%s: says nothing to do: want one of %s (line %d)", at, strings.Join(eventKinds, ", "), n.Line)
		return e, false
	case 1:
	default:
		problem("%s: %s together: one event does one thing; write them as separate events at the same time (line %d)", at, strings.Join(kinds, " and "), n.Line)
		return e, false
	}
	kindName := kinds[0]
	e.Kind = lesson.Kind(slices.Index(eventKinds, kindName))
	if v := fields["at"]; v == nil {
		problem("%s.at: missing: when it happens, e.g. at: 20m or at: 0:20 (line %d)", at, n.Line)
	} else if t, ok := lessonTime(v, at+".at", func(f string, a ...any) { problem(f, a...) }); ok {
		e.At = t
		if ls.Length > 0 && t > ls.Length {
			problem("%s.at: %s is after the lesson's length, %s (line %d)", at, v.Value, lesson.Clock(ls.Length), v.Line)
		}
	}
	if v := fields["for"]; v != nil {
		if e.Kind != lesson.Callout && e.Kind != lesson.Say {
			problem("%s.for: only a callout or a say shows for a time (line %d)", at, v.Line)
		} else if t, ok := lessonTime(v, at+".for", func(f string, a ...any) { problem(f, a...) }); ok {
			e.For = t
		}
	}
	if v := fields["answer"]; v != nil {
		if e.Kind != lesson.Question {
			problem("%s.answer: only a question has an answer (line %d)", at, v.Line)
		} else {
			e.Answer = strings.TrimSpace(scalarText(v, at+".answer", func(f string, a ...any) { problem(f, a...) }))
		}
	}
	line := 1
	if v := fields["line"]; v != nil {
		k, err := strconv.Atoi(v.Value)
		switch {
		case e.Kind != lesson.Command:
			problem("%s.line: only a do names a copy of the line (line %d)", at, v.Line)
		case v.Kind != yaml.ScalarNode || err != nil || k < 1:
			problem("%s.line: want the copy of the line, from 1, got %s (line %d)", at, describeNode(v), v.Line)
		case ls.Spec != nil && k > ls.Spec.Lines:
			problem("%s.line: %d: the config has %d line(s) (line %d)", at, k, ls.Spec.Lines, v.Line)
		default:
			line = k
		}
	}
	v := fields[kindName]
	path := at + "." + kindName
	sub := func(f string, a ...any) { problem(f, a...) }
	switch e.Kind {
	case lesson.Command:
		c, msg := parseLessonCommand(scalarText(v, path, sub), line, ls.Spec)
		if msg != "" {
			problem("%s: %s (line %d)", path, msg, v.Line)
		}
		e.Command = c
	case lesson.Callout:
		e.Station, e.Text = calloutFields(v, path, ls.Spec, sub)
	default:
		e.Text = strings.TrimSpace(scalarText(v, path, sub))
		if e.Text == "" && v.Kind == yaml.ScalarNode {
			problem("%s: empty: write what to show (line %d)", path, v.Line)
		}
	}
	return e, bad == 0
}
