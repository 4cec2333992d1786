// Command pgotrim rewrites the file names in a Go CPU profile (pprof,
// gzipped protobuf) so that no absolute path of the machine that took it
// remains: each name under one of the given roots becomes relative to it,
// any other absolute path (the profiled binary, libraries) its base name.
// PGO matches functions by name and line offset, not by file, so a trimmed
// profile builds the same binary. 'make pgo' runs it on default.pgo.
//
// Usage:
//
//	go run ./cmd/internal/pgotrim -root DIR [-root DIR ...] IN OUT
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/lightsout-sim/lightsout/cmd/internal/atomicfile"
)

// stringTable is the field number of Profile.string_table in profile.proto.
const stringTable = 6

type roots []string

func (r *roots) String() string     { return strings.Join(*r, ",") }
func (r *roots) Set(s string) error { *r = append(*r, s); return nil }

func main() {
	var rs roots
	flag.Var(&rs, "root", "a directory whose prefix is removed from file names (repeatable)")
	flag.Parse()
	if flag.NArg() != 2 || len(rs) == 0 {
		fmt.Fprintln(os.Stderr, "usage: pgotrim -root DIR [-root DIR ...] IN OUT")
		os.Exit(2)
	}
	if err := run(rs, flag.Arg(0), flag.Arg(1)); err != nil {
		fmt.Fprintln(os.Stderr, "pgotrim:", err)
		os.Exit(1)
	}
}

func run(rs roots, in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("%s: not a gzipped profile: %w", in, err)
	}
	pb, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	trimmed, n, err := trim(pb, rs)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	err = atomicfile.Write(out, func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		if _, err := zw.Write(trimmed); err != nil {
			return err
		}
		return zw.Close()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pgotrim: %d file names made relative\n", n)
	return nil
}

// trim copies the profile, rewriting the string table's absolute paths.
func trim(pb []byte, rs roots) ([]byte, int, error) {
	var out []byte
	n := 0
	for len(pb) > 0 {
		num, typ, tagLen := protowire.ConsumeTag(pb)
		if tagLen < 0 {
			return nil, 0, protowire.ParseError(tagLen)
		}
		valLen := protowire.ConsumeFieldValue(num, typ, pb[tagLen:])
		if valLen < 0 {
			return nil, 0, protowire.ParseError(valLen)
		}
		field := pb[:tagLen+valLen]
		pb = pb[tagLen+valLen:]
		if num != stringTable || typ != protowire.BytesType {
			out = append(out, field...)
			continue
		}
		s, m := protowire.ConsumeString(field[tagLen:])
		if m < 0 {
			return nil, 0, errors.New("bad string table entry")
		}
		if r, ok := relative(s, rs); ok {
			s = r
			n++
		}
		out = protowire.AppendTag(out, stringTable, protowire.BytesType)
		out = protowire.AppendString(out, s)
	}
	return out, n, nil
}

// relative returns s relative to the first root it lies under, or, for an
// absolute path under none (a binary or library of the profiled process),
// its base name.
func relative(s string, rs roots) (string, bool) {
	if !filepath.IsAbs(s) {
		return s, false
	}
	for _, r := range rs {
		if rel, err := filepath.Rel(r, s); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel), true
		}
	}
	return filepath.Base(s), true
}
