package main

import (
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
