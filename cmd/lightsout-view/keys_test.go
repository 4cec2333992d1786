package main

import (
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/configs"
)

// tableKeys returns every key of windowKeys, by name.
func tableKeys(t *testing.T) map[string]keyDef {
	t.Helper()
	byName := map[string]keyDef{}
	for _, col := range windowKeys {
		for _, r := range col {
			for _, k := range r.Keys {
				if _, dup := byName[k.Name]; dup {
					t.Errorf("key %q is listed twice in windowKeys", k.Name)
				}
				byName[k.Name] = k
			}
		}
	}
	return byName
}

// pressing is a keyboard with the keys in down held and just pressed; it
// records every key the input asks about.
type pressing struct {
	down  []ebiten.Key
	asked map[ebiten.Key]bool
}

func (p *pressing) state() keyState {
	f := func(k ebiten.Key) bool {
		if p.asked != nil {
			p.asked[k] = true
		}
		return slices.Contains(p.down, k)
	}
	return keyState{justPressed: f, down: f}
}

// readAll reads every key the window reads (the line and view's, the
// timeline's, a playback's) from ks, and reports whether any did
// something.
func readAll(ks keyState) bool {
	var it scene.Intents
	(&Input{}).keys(&it, ks)
	pk := readPlayKeys(ks)
	pk.Down = false // the mouse button, not a key
	return it != (scene.Intents{}) || readExtras(ks) != (extraIntents{}) || pk != (playKeys{})
}

// The input reads exactly the keys of windowKeys, every one of them does
// something, and the characters scene.Intents.Type acts on are those the
// table lists.
func TestInputReadsTheKeysOfTheTable(t *testing.T) {
	table := tableKeys(t)
	listed := map[ebiten.Key]string{}
	chars := map[rune]string{}
	for name, k := range table {
		for _, key := range k.Keys {
			listed[key] = name
		}
		for _, r := range k.Chars {
			chars[r] = name
		}
		if len(k.Keys) == 0 && len(k.Chars) == 0 && !slices.Contains([]string{"click", "wheel", "drag"}, name) {
			t.Errorf("key %q has neither keys nor characters, and is no mouse gesture", name)
		}
	}
	rec := &pressing{asked: map[ebiten.Key]bool{}}
	if readAll(rec.state()) {
		t.Fatal("with no key down the input asks for something")
	}
	for key := range rec.asked {
		if _, ok := listed[key]; !ok && key != ebiten.KeyShift {
			t.Errorf("the input reads %v, which windowKeys does not list (so neither do the help and the docs)", key)
		}
	}
	for key, name := range listed {
		if !rec.asked[key] {
			t.Errorf("windowKeys lists %v (as %q), which the input never reads", key, name)
		}
		if !readAll((&pressing{down: []ebiten.Key{key}}).state()) {
			t.Errorf("pressing %v (%q) does nothing", key, name)
		}
	}
	for r := rune(' '); r <= '~'; r++ {
		var plain, shifted scene.Intents
		plain.Type(r, false)
		shifted.Type(r, true)
		acts := plain != (scene.Intents{}) || shifted != (scene.Intents{})
		if name, ok := chars[r]; ok && !acts {
			t.Errorf("windowKeys lists %q (as %q), which typed does nothing", r, name)
		} else if !ok && acts {
			t.Errorf("typing %q does something, and windowKeys does not list it", r)
		}
	}
}

// The help shows every key of windowKeys, and fits the window without
// its columns running into each other, from the smallest window to a
// projector's.
func TestHelpListsEveryKeyAndFits(t *testing.T) {
	table := tableKeys(t)
	for _, size := range [][2]int{{minWidth, minHeight}, {1280, 800}, {1920, 1080}} {
		g := newSizedGame(t, "demo-line", size[0], size[1])
		g.help = true
		g.render(ebiten.NewImage(g.w, g.h)) // lays the window out at its UI scale
		h := g.helpText()
		g.fonts.SetScale(g.ui()) // as the help is drawn
		shown := map[string]bool{}
		for c, col := range windowKeys {
			for k, r := range col {
				for _, name := range strings.Split(h.labels[c][k], "  ") {
					shown[name] = true
				}
				if w := g.fonts.Width(h.labels[c][k], hudText, true); w > h.keyW[c] {
					t.Errorf("%v: keys %q are %.0f px wide, over their column's %.0f", size, h.labels[c][k], w, h.keyW[c])
				}
				if w := h.keyW[c] + helpKeyGap + g.fonts.Width(r.Does, hudText, false); w > h.colW[c] {
					t.Errorf("%v: row %q is %.0f px wide, over its column's %.0f", size, r.Does, w, h.colW[c])
				}
			}
		}
		for name := range table {
			if !shown[name] {
				t.Errorf("the help does not show %q", name)
			}
		}
		r := g.helpRect()
		if r.X < 0 || r.Y < 0 || r.X+r.W > g.hw() || r.Y+r.H > g.hh() {
			t.Errorf("%v: the help %+v is not inside the window (%.0f x %.0f at UI scale %.2f)", size, r, g.hw(), g.hh(), g.ui())
		}
		title := helpPad + g.fonts.Width("Commands go through the line's event queue and its log: a session replays headless.", hudSmall, false)
		if title > r.W {
			t.Errorf("%v: the help's subtitle (%.0f px) is wider than its panel (%.0f)", size, title, r.W)
		}
	}
}

// backticked matches the `code` spans of a line of markdown.
var backticked = regexp.MustCompile("`([^`]+)`")

// docTable returns the backticked names in the first cell of each row of
// the page's tables whose first header cell is head.
func docTable(t *testing.T, path, head string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	in := false
	for _, l := range strings.Split(string(data), "\n") {
		cells := strings.Split(strings.ReplaceAll(l, `\|`, "/"), "|")
		if !strings.HasPrefix(l, "|") || len(cells) < 3 {
			in = false
			continue
		}
		first := strings.TrimSpace(cells[1])
		switch {
		case first == head:
			in = true
		case in && !strings.HasPrefix(first, "--") && strings.Trim(first, "-") == "":
		case in:
			for _, m := range backticked.FindAllStringSubmatch(first, -1) {
				names[m[1]] = true
			}
		}
	}
	if len(names) == 0 {
		t.Fatalf("%s: no table headed %q", path, head)
	}
	return names
}

// compare reports the names one list has and the other not.
func compare(t *testing.T, what, doc string, code []string, docs map[string]bool) {
	t.Helper()
	for _, n := range code {
		if !docs[n] {
			t.Errorf("%s lists no %s `%s`", doc, what, n)
		}
	}
	for n := range docs {
		if !slices.Contains(code, n) {
			t.Errorf("%s lists the %s `%s`, which the window does not have", doc, what, n)
		}
	}
}

// The key tables of the README and docs/lightsout-view.md name every key
// of windowKeys (in backticks in their first column), and no other.
func TestDocsListEveryKey(t *testing.T) {
	var names []string
	for n := range tableKeys(t) {
		names = append(names, n)
	}
	for _, doc := range []string{"../../README.md", "../../docs/lightsout-view.md"} {
		compare(t, "key", doc, names, docTable(t, doc, "key"))
	}
}

// The flag tables of docs/lightsout-view.md name every flag of the
// command, and no other; the README names every flag too.
func TestDocsListEveryFlag(t *testing.T) {
	var flags []string
	newCommand(io.Discard, nil).Flags().VisitAll(func(f *pflag.Flag) { flags = append(flags, "--"+f.Name) })
	documented := map[string]bool{}
	for n := range docTable(t, "../../docs/lightsout-view.md", "flag") {
		documented[strings.Fields(n)[0]] = true
	}
	compare(t, "flag", "docs/lightsout-view.md", flags, documented)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range flags {
		if !regexp.MustCompile(regexp.QuoteMeta(f) + `([^a-z-]|$)`).Match(readme) {
			t.Errorf("README.md does not name lightsout-view's flag %s", f)
		}
	}
}

// Every embedded lesson is in the lesson table of docs/lessons.md and
// named in the README and docs/lightsout-view.md.
func TestDocsListEveryLesson(t *testing.T) {
	names := configs.LessonNames()
	compare(t, "lesson", "docs/lessons.md", names, docTable(t, "../../docs/lessons.md", "name"))
	for _, doc := range []string{"../../README.md", "../../docs/lightsout-view.md"} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if !strings.Contains(string(data), "`"+n+"`") {
				t.Errorf("%s does not name the lesson `%s`", doc, n)
			}
		}
	}
}
