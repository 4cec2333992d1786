package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// trim rewrites only the string table, keeps every other field as it was
// and in order, and leaves no absolute path.
func TestTrim(t *testing.T) {
	var pb []byte
	pb = protowire.AppendTag(pb, 1, protowire.VarintType) // a sample type, kept as is
	pb = protowire.AppendVarint(pb, 42)
	for _, s := range []string{"", "/src/mod/twin/sim/engine.go", "/cache/pkg/mod/x@v1/a.go", "/tmp/go-build1/b001/twin.test", "runtime.main"} {
		pb = protowire.AppendTag(pb, stringTable, protowire.BytesType)
		pb = protowire.AppendString(pb, s)
	}
	out, n, err := trim(pb, roots{"/src/mod", "/cache/pkg/mod"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("%d names rewritten, want 3", n)
	}
	var got []string
	for len(out) > 0 {
		num, typ, l := protowire.ConsumeTag(out)
		out = out[l:]
		switch {
		case num == 1 && typ == protowire.VarintType:
			v, m := protowire.ConsumeVarint(out)
			if v != 42 {
				t.Errorf("field 1 = %d", v)
			}
			out = out[m:]
		case num == stringTable:
			s, m := protowire.ConsumeString(out)
			got = append(got, s)
			out = out[m:]
		default:
			t.Fatalf("unexpected field %d", num)
		}
	}
	want := []string{"", "twin/sim/engine.go", "x@v1/a.go", "twin.test", "runtime.main"}
	if len(got) != len(want) {
		t.Fatalf("strings %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("string %d = %q, want %q", i, got[i], want[i])
		}
	}
	if _, _, err := trim([]byte{0xff}, roots{"/"}); err == nil {
		t.Error("a malformed profile was accepted")
	}
}

// run writes the trimmed profile in place of out, whole, and on a bad
// input leaves out as it was and no temporary file.
func TestRunReplacesOutWhole(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pgo"), filepath.Join(dir, "out.pgo")
	var pb []byte
	pb = protowire.AppendTag(pb, stringTable, protowire.BytesType)
	pb = protowire.AppendString(pb, "/src/mod/twin/sim/engine.go")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(pb)
	zw.Close()
	if err := os.WriteFile(in, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(roots{"/src/mod"}, in, out); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("out is not gzipped: %v", err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Contains(got, []byte("twin/sim/engine.go")) || bytes.Contains(got, []byte("/src/mod")) {
		t.Errorf("out holds %q (%v), want the trimmed name", got, err)
	}

	if err := os.WriteFile(in, []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(roots{"/src/mod"}, in, out); err == nil {
		t.Error("a bad profile was accepted")
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, raw) {
		t.Error("a failed run changed out")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d entries in the directory, want in and out only", len(entries))
	}
}
