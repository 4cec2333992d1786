package textfmt_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/textfmt"
)

func TestTableFlush(t *testing.T) {
	var b strings.Builder
	tb := textfmt.NewTable(&b)
	tb.Row("station", "util", "bottleneck")
	tb.Row("printer", "73.2%", "")
	tb.Row("func-test", "5.0%", "5/5")
	tb.Row("µ-oven", "100.0%", "") // a multi-byte rune counts as one column
	if err := tb.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"station      util  bottleneck\n" +
		"printer     73.2%\n" +
		"func-test    5.0%         5/5\n" +
		"µ-oven     100.0%\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestTableFlushLeft(t *testing.T) {
	var b strings.Builder
	tb := textfmt.NewTable(&b)
	tb.Row("demo-line", "", "Teaching line")
	tb.Row("phone-factory", "(default)", "Factory")
	if err := tb.FlushLeft(); err != nil {
		t.Fatal(err)
	}
	want := "demo-line                 Teaching line\nphone-factory  (default)  Factory\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

type failingWriter struct{}

var errFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errFull }

func TestTableReportsWriteErrors(t *testing.T) {
	for name, flush := range map[string]func(*textfmt.Table) error{
		"Flush": (*textfmt.Table).Flush, "FlushLeft": (*textfmt.Table).FlushLeft,
	} {
		tb := textfmt.NewTable(failingWriter{})
		tb.Row("a", "1")
		if err := flush(tb); !errors.Is(err, errFull) {
			t.Errorf("%s: error %v, want %v", name, err, errFull)
		}
	}
}

func ExampleTable() {
	tb := textfmt.NewTable(os.Stdout)
	tb.Row("line", "good/h", "OEE")
	tb.Row("demo-line", textfmt.Grouped(1373.62, 1), textfmt.Percent(0.934))
	tb.Flush()
	// Output:
	// line        good/h    OEE
	// demo-line  1,373.6  93.4%
}
