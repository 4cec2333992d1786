package report

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// readPNG decodes a PNG file, failing the test if it is not one.
func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: not a valid PNG: %v", path, err)
	}
	return img
}

// imgSources returns the src and size attributes of the page's images.
func imgSources(t *testing.T, html string) map[string][2]string {
	t.Helper()
	re := regexp.MustCompile(`<img src="([^"]+)" width="(\d+)" height="(\d+)"`)
	out := map[string][2]string{}
	for _, m := range re.FindAllStringSubmatch(html, -1) {
		out[m[1]] = [2]string{m[2], m[3]}
	}
	return out
}

// checkReport checks that dir holds index.html and exactly the PNGs it
// references, each a valid PNG of the size the page states, and returns the
// page.
func checkReport(t *testing.T, dir string, wantCharts []string) string {
	t.Helper()
	page, err := os.ReadFile(filepath.Join(dir, indexName))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if strings.Contains(strings.ToLower(html), "<script") {
		t.Error("the page has a script")
	}
	srcs := imgSources(t, html)
	var got []string
	for src, size := range srcs {
		got = append(got, src)
		if filepath.Base(src) != src {
			t.Errorf("image %q is not referenced relatively inside the report", src)
		}
		img := readPNG(t, filepath.Join(dir, src))
		b := img.Bounds()
		if w, h := b.Dx(), b.Dy(); size != [2]string{strconv.Itoa(w), strconv.Itoa(h)} {
			t.Errorf("%s is %dx%d, the page says %sx%s", src, w, h, size[0], size[1])
		}
		if b.Dx() != chartWidthPx {
			t.Errorf("%s is %d pixels wide, want %d", src, b.Dx(), chartWidthPx)
		}
	}
	slices.Sort(got)
	slices.Sort(wantCharts)
	if !slices.Equal(got, wantCharts) {
		t.Errorf("page references %v, want %v", got, wantCharts)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != indexName && srcs[e.Name()] == [2]string{} {
			t.Errorf("%s is in the report directory but not on the page", e.Name())
		}
	}
	return html
}

func TestWriteBatch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "report")
	b := synthBatch(`Shift <b>"A"</b> & more`, 4, 9, 4)
	if err := WriteBatch(dir, b); err != nil {
		t.Fatal(err)
	}
	html := checkReport(t, dir, []string{"throughput.png", "stations.png", "wip.png", "quality.png"})
	if strings.Contains(html, "<b>") {
		t.Error("the title reached the page unescaped")
	}
	if !strings.Contains(html, "<h1>Shift &lt;b&gt;&#34;A&#34;&lt;/b&gt; &amp; more</h1>") {
		t.Error("the page has no escaped title heading")
	}
	for _, want := range []string{"good_per_hour", "chosen by MSER-5", "the band their min–max", "8 h per replication"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	img := readPNG(t, filepath.Join(dir, "stations.png"))
	if h := img.Bounds().Dy(); h != barChartHeight(len(b.Stations), rowHeightPx) {
		t.Errorf("stations.png is %d pixels high, want %d", h, barChartHeight(len(b.Stations), rowHeightPx))
	}
	if h := readPNG(t, filepath.Join(dir, "throughput.png")).Bounds().Dy(); h != timeChartHeight {
		t.Errorf("throughput.png is %d pixels high, want %d", h, timeChartHeight)
	}
}

func TestWriteBatchLeavesOutChartsWithoutData(t *testing.T) {
	b := synthBatch("no series", 2, 1, 3)
	b.GoodPerBucket, b.WIP = nil, nil
	for i := range b.Stations {
		s := &b.Stations[i]
		s.Defects, s.Caught, s.Scrapped, s.Reworked = 0, 0, 0, 0
	}
	dir := filepath.Join(t.TempDir(), "r")
	if err := WriteBatch(dir, b); err != nil {
		t.Fatal(err)
	}
	html := checkReport(t, dir, []string{"stations.png"})
	if !strings.Contains(html, "no quality chart") {
		t.Error("the page does not say why the quality chart is missing")
	}
}

// colourPixels returns the number of pixels of exactly colour c and their
// mean row.
func colourPixels(img image.Image, c uint32) (n int, meanY float64) {
	want := rgba(c)
	b := img.Bounds()
	sum := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if sameRGB(img.At(x, y), want) {
				n++
				sum += y - b.Min.Y
			}
		}
	}
	if n == 0 {
		return 0, math.NaN()
	}
	return n, float64(sum) / float64(n)
}

func sameRGB(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1>>8 == r2>>8 && g1>>8 == g2>>8 && b1>>8 == b2>>8
}

// TestBottleneckOutline checks the pixels: the bottleneck's outline colour
// is drawn on its row and nowhere when there is no bottleneck.
func TestBottleneckOutline(t *testing.T) {
	stations := synthBatch("", 1, 1, 3).Stations
	for i := range stations {
		stations[i].Bottleneck = false
	}
	render := func(bottleneck int) image.Image {
		t.Helper()
		s := slices.Clone(stations)
		if bottleneck >= 0 {
			s[bottleneck].Bottleneck = true
		}
		dir := filepath.Join(t.TempDir(), "r")
		if err := WriteBatch(dir, Batch{Title: "b", Replications: 1, DurationS: 3600, Stations: s}); err != nil {
			t.Fatal(err)
		}
		return readPNG(t, filepath.Join(dir, "stations.png"))
	}

	if n, _ := colourPixels(render(-1), colBottleneck); n != 0 {
		t.Errorf("no bottleneck, yet %d pixels of the bottleneck colour", n)
	}
	first := render(0)
	nFirst, yFirst := colourPixels(first, colBottleneck)
	nLast, yLast := colourPixels(render(len(stations)-1), colBottleneck)
	// The outline runs around a whole bar: at least twice the data width.
	if min(nFirst, nLast) < 2*chartWidthPx/2 {
		t.Fatalf("bottleneck outline has %d and %d pixels, want a frame around a bar", nFirst, nLast)
	}
	h := float64(first.Bounds().Dy())
	// The legend's thumbnail sits at the top right and pulls the mean up a
	// little; the bar's frame dominates.
	if yFirst > 0.4*h || yLast < 0.6*h {
		t.Errorf("outline mean row %.0f (first station) and %.0f (last) of %.0f: not on the bottleneck's bar", yFirst, yLast, h)
	}
}

func TestWriteSweep(t *testing.T) {
	t.Run("numeric", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "sweep")
		batches := []Batch{synthBatch("buffer=1", 2, 1, 1), synthBatch("buffer=10", 2, 2, 10)}
		if err := WriteSweep(dir, synthSweep(), batches); err != nil {
			t.Fatal(err)
		}
		html := checkReport(t, dir, []string{
			"sweep-01.png", "sweep-02.png",
			"s01-throughput.png", "s01-stations.png", "s01-wip.png", "s01-quality.png",
			"s02-throughput.png", "s02-stations.png", "s02-wip.png", "s02-quality.png",
		})
		for _, want := range []string{"<h2>buffer=1</h2>", "<h2>buffer=10</h2>", "<th>stations[test].buffer</th>", "<td class=\"num\">31.18 ± 6</td>"} {
			if !strings.Contains(html, want) {
				t.Errorf("the page does not have %q", want)
			}
		}
	})
	t.Run("categorical", func(t *testing.T) {
		s := synthSweep()
		s.KPIs = nil
		s.Parameter = "layout"
		for i := range s.Points {
			s.Points[i].X = math.NaN()
			s.Points[i].Label = "layout " + s.Points[i].Scenario
		}
		dir := filepath.Join(t.TempDir(), "sweep")
		if err := WriteSweep(dir, s, nil); err != nil {
			t.Fatal(err)
		}
		checkReport(t, dir, []string{"sweep-01.png", "sweep-02.png"})
		img := readPNG(t, filepath.Join(dir, "sweep-01.png"))
		if h := img.Bounds().Dy(); h != barChartHeight(len(s.Points), rowHeightPx) {
			t.Errorf("categorical chart is %d high, want one row per scenario: %d", h, barChartHeight(len(s.Points), rowHeightPx))
		}
	})
}

// TestPageGolden compares the batch page with testdata/batch.golden; run
// with -update to rewrite it.
func TestPageGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "r")
	if err := WriteBatch(dir, synthBatch("Golden <page>", 3, 5, 4)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, indexName))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "batch.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("index.html differs from %s (run with -update if the change is intended)", golden)
	}
}

func TestWriteReplacesAndLeavesNoTemporaries(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "r")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"first", "second"} {
		if err := WriteBatch(dir, synthBatch(title, 2, 1, 3)); err != nil {
			t.Fatal(err)
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, indexName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "<h1>second</h1>") {
		t.Error("index.html was not replaced by the second report")
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("a file not of the report was touched: %q, %v", b, err)
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("parent holds %d entries, want only the report: %v", len(entries), entries)
	}
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "r")
	boom := errors.New("boom")
	err := writeReport(dir, func(tmp string, th *theme) (section, error) {
		d, err := th.stationStatesChart(synthBatch("", 1, 1, 3).Stations)
		if err != nil {
			return section{}, err
		}
		if _, err := render(tmp, "stations.png", d); err != nil {
			return section{}, err
		}
		return section{}, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("writeReport returned %v, want the build's error", err)
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("a failed write left %v", entries)
	}
}

func TestWriteRejectsAFileAsDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteBatch(path, synthBatch("x", 1, 1, 3))
	if err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("WriteBatch onto a file: %v, want a not-a-directory error", err)
	}
}

func TestValidate(t *testing.T) {
	good := func() Batch { return synthBatch("v", 2, 1, 3) }
	cases := []struct {
		name   string
		change func(*Batch)
		want   string
	}{
		{"no replications", func(b *Batch) { b.Replications = 0 }, "replications 0"},
		{"zero duration", func(b *Batch) { b.DurationS = 0 }, "duration"},
		{"warm-up past end", func(b *Batch) { b.WarmupS = b.DurationS }, "warm-up"},
		{"bad CI level", func(b *Batch) { b.CILevel = 95 }, "CI level"},
		{"no bucket width", func(b *Batch) { b.BucketS = 0 }, "bucket width"},
		{"rows per replication", func(b *Batch) { b.GoodPerBucket = b.GoodPerBucket[:1] }, "has 1 replications, want 2"},
		{"ragged rows", func(b *Batch) { b.WIP[1] = b.WIP[1][:3] }, "replication 1 has 3 buckets"},
		{"too many buckets", func(b *Batch) { b.BucketS = b.DurationS / 10 }, "more than a run"},
		{"negative count", func(b *Batch) { b.GoodPerBucket[0][4] = -1 }, "bucket 4 is -1"},
		{"NaN WIP", func(b *Batch) { b.WIP[1][0] = math.NaN() }, "bucket 0 is NaN"},
		{"share above one", func(b *Batch) { b.Stations[2].Blocked = 1.5 }, "time share is 1.5"},
		{"shares sum above one", func(b *Batch) { b.Stations[2].Starved = 0.5 }, "sum to"},
		{"station without ID", func(b *Batch) { b.Stations[0].ID = "" }, "no ID"},
		{"KPI without name", func(b *Batch) { b.KPIs[0].Name = "" }, "no name"},
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("the synthetic batch is invalid: %v", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := good()
			c.change(&b)
			err := b.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, c.want)
			}
			if err := WriteBatch(filepath.Join(t.TempDir(), "r"), b); err == nil {
				t.Error("WriteBatch accepted an invalid batch")
			}
		})
	}
}

func TestValidateSweep(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Sweep)
		want   string
	}{
		{"no points", func(s *Sweep) { s.Points = nil }, "no points"},
		{"unnamed", func(s *Sweep) { s.Points[3].Scenario = "" }, "point 3 has no scenario"},
		{"twice", func(s *Sweep) { s.Points[3].Scenario = s.Points[2].Scenario }, "appears twice"},
		{"infinite X", func(s *Sweep) { s.Points[0].X = math.Inf(1) }, "infinite"},
		{"unknown KPI", func(s *Sweep) { s.KPIs = []string{"throughput"} }, `KPI "throughput" is in no point`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := synthSweep()
			c.change(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestGonumDefaultsUntouched checks the report sets its fonts per plot and
// leaves gonum's package-level defaults as they were.
func TestGonumDefaultsUntouched(t *testing.T) {
	font, handler := plot.DefaultFont, plot.DefaultTextHandler
	if err := WriteBatch(filepath.Join(t.TempDir(), "r"), synthBatch("f", 1, 1, 3)); err != nil {
		t.Fatal(err)
	}
	if plot.DefaultFont != font || plot.DefaultTextHandler != handler {
		t.Error("writing a report changed gonum/plot's default font or text handler")
	}
	th, err := newTheme()
	if err != nil {
		t.Fatal(err)
	}
	p := th.newPlot("t", "x", "y")
	for name, f := range map[string]string{
		"title": string(p.Title.TextStyle.Font.Typeface), "x label": string(p.X.Label.TextStyle.Font.Typeface),
		"y ticks": string(p.Y.Tick.Label.Font.Typeface), "legend": string(p.Legend.TextStyle.Font.Typeface),
	} {
		if f != string(goTypeface) {
			t.Errorf("%s typeface %q, want %q", name, f, goTypeface)
		}
	}
	face := th.handler.Cache().Lookup(p.Title.TextStyle.Font, 12)
	if face.Font.Typeface != goTypeface {
		t.Errorf("the theme's cache gives %q for the title font, want Go's", face.Font.Typeface)
	}
}
