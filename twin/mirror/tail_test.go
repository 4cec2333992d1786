package mirror_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/mirror"
)

// replayed replays rec with rr's mode into a fresh mirror and returns its
// view and the summary.
func replayed(t *testing.T, rr *mirror.RecordingReader) (mirror.View, mirror.RecordingSummary, error) {
	t.Helper()
	r, err := mirror.NewReplayer(mirror.Config{HostID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.ReplayFrom(context.Background(), rr, 0)
	return r.Mirror().View(), s, err
}

// A recording whose last line was cut (a crash mid-write) keeps the lines
// before it: a lenient reader replays them and reports the cut line; a
// strict one refuses. Cut wherever in the last line, the replay is the
// replay of the lines before it.
func TestRecordingCutInItsLastLine(t *testing.T) {
	_, rec, _ := recordLive(t, nil)
	lines := bytes.SplitAfter(rec, []byte("\n"))
	lines = lines[:len(lines)-1] // after the final newline: nothing
	n := len(lines)
	start := len(rec) - len(lines[n-1]) // where the last line starts
	whole, wholeSum, err := replayed(t, mirror.NewRecordingReader(bytes.NewReader(rec[:start])))
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{1, 2, 17, len(lines[n-1]) / 2, len(lines[n-1]) - 3, len(lines[n-1]) - 2} {
		t.Run(fmt.Sprint("at byte ", cut), func(t *testing.T) {
			data := rec[:start+cut]
			_, err := mirror.CheckRecording(bytes.NewReader(data))
			var re *mirror.RecordingError
			if !errors.As(err, &re) || re.Line != n || !re.Cut || re.Offset != int64(start) ||
				!strings.Contains(err.Error(), fmt.Sprintf("line %d is cut short (the recording ends mid-line)", n)) {
				t.Errorf("strict: %v; want line %d cut short at offset %d", err, n, start)
			}
			sum, err := mirror.NewRecordingReader(bytes.NewReader(data)).Lenient().Check()
			if err != nil || sum.Tail == nil || sum.Tail.Line != n || !sum.Tail.Cut || sum.Messages != wholeSum.Messages {
				t.Fatalf("lenient Check: %+v, %v; want %d messages and line %d as the tail", sum, err, wholeSum.Messages, n)
			}
			v, s, err := replayed(t, mirror.NewRecordingReader(bytes.NewReader(data)).Lenient())
			if err != nil || !reflect.DeepEqual(s, sum) {
				t.Errorf("lenient replay: %+v, %v; want %+v", s, err, sum)
			}
			if !reflect.DeepEqual(v, whole) {
				t.Errorf("the mirror differs from the replay of the %d lines before the cut:\n%s\nwant\n%s", n-1, viewJSON(v), viewJSON(whole))
			}
		})
	}
	// Cut just before its newline, the last line is whole: nothing is left
	// out. Cut at a line's end, there is no last line to leave out.
	for _, data := range [][]byte{rec[:len(rec)-1], rec[:start]} {
		sum, err := mirror.NewRecordingReader(bytes.NewReader(data)).Lenient().Check()
		if err != nil || sum.Tail != nil {
			t.Errorf("%d bytes: %+v, %v; want no tail", len(data), sum, err)
		}
	}
}

// The last line may also be whole but wrong (zeros where the file system
// had not written the data yet, garbage): left out too, not a cut.
func TestRecordingBadLastLine(t *testing.T) {
	t0 := time.Unix(1_790_000_000, 0)
	good := recLine(t0, "a/b", "AQ==") + recLine(t0.Add(time.Second), "a/c", "")
	for _, c := range []struct {
		name, last string
		cut        bool
	}{
		{"zeros", "\x00\x00\x00\x00", true},
		{"garbage with its newline", "}{\n", false},
		{"an empty line", "\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sum, err := mirror.NewRecordingReader(strings.NewReader(good + c.last)).Lenient().Check()
			if err != nil || sum.Messages != 2 || sum.Tail == nil || sum.Tail.Line != 3 || sum.Tail.Cut != c.cut ||
				sum.Tail.Offset != int64(len(good)) {
				t.Errorf("%+v, %v; want 2 messages and line 3 left out (cut %v)", sum, err, c.cut)
			}
			if _, err := mirror.CheckRecording(strings.NewReader(good + c.last)); err == nil {
				t.Error("strict: no error")
			}
		})
	}
}

// A bad line with lines after it is not a cut: lenient or not, the
// recording is refused, naming the line.
func TestRecordingGarbageInTheMiddle(t *testing.T) {
	_, rec, _ := recordLive(t, nil)
	lines := bytes.SplitAfter(rec, []byte("\n"))
	mid := len(lines) / 2
	lines[mid] = []byte("\x00garbage{\n")
	data := bytes.Join(lines, nil)
	for _, rr := range []*mirror.RecordingReader{
		mirror.NewRecordingReader(bytes.NewReader(data)),
		mirror.NewRecordingReader(bytes.NewReader(data)).Lenient(),
	} {
		_, err := rr.Check()
		var re *mirror.RecordingError
		if !errors.As(err, &re) || re.Line != mid+1 || re.Cut || rr.Tail() != nil {
			t.Errorf("%v (tail %v); want the error of line %d", err, rr.Tail(), mid+1)
		}
	}
}

// recordingFile writes data to a file and opens it as the twin does for
// --append.
func recordingFile(t *testing.T, data string) (string, *os.File) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.jsonl")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return path, f
}

// ResumeRecording readies a recording for appending: a cut last line is
// cut off, a missing final newline added; what is appended then reads
// back with the rest.
func TestResumeRecording(t *testing.T) {
	t0 := time.Unix(1_790_000_000, 0)
	one, two := recLine(t0, "a/b", "AQ=="), recLine(t0.Add(time.Second), "a/c", "")
	more := recLine(t0.Add(time.Hour), "a/d", "")
	for _, c := range []struct {
		name, data string
		tail       int // the line cut off, 0 for none
	}{
		{"whole", one + two, 0},
		{"cut", one + two + two[:10], 3},
		{"no final newline", one + strings.TrimSuffix(two, "\n"), 0},
		{"empty", "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			path, f := recordingFile(t, c.data)
			sum, err := mirror.ResumeRecording(f)
			if err != nil || (sum.Tail == nil) != (c.tail == 0) || (sum.Tail != nil && sum.Tail.Line != c.tail) {
				t.Fatalf("%+v, %v; want line %d cut off", sum, err, c.tail)
			}
			if _, err := f.WriteString(more); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(path)
			after, err := mirror.CheckRecording(bytes.NewReader(b))
			if err != nil || after.Messages != sum.Messages+1 || !after.Last.Equal(t0.Add(time.Hour)) {
				t.Errorf("after appending: %+v, %v; want %d messages\n%s", after, err, sum.Messages+1, b)
			}
		})
	}
	// Not a recording, or not one a crash could leave: refused, untouched.
	for _, c := range []struct {
		name, data string
		line       int
	}{
		{"garbage in the middle", one + "garbage\n" + two[:10], 2},
		{"a bad last line with its newline", one + "garbage\n", 2},
		{"one line, cut", "precious", 1},
		{"one line, not a recording", "precious\n", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			path, f := recordingFile(t, c.data)
			var re *mirror.RecordingError
			if _, err := mirror.ResumeRecording(f); !errors.As(err, &re) || re.Line != c.line {
				t.Errorf("%v, want line %d's error", err, c.line)
			}
			if b, _ := os.ReadFile(path); string(b) != c.data {
				t.Errorf("the file was changed: %q", b)
			}
		})
	}
}
