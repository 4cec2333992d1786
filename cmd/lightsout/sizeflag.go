package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeFlag is a pflag.Value for a number of bytes, written as a whole
// number with an optional unit: B, KiB, MiB, GiB (powers of 1024) or kB,
// MB, GB (powers of 1000), e.g. "1MiB", "512KiB", "2000000".
type sizeFlag int64

// sizeUnits are the units a sizeFlag accepts, longest first.
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}, {"B", 1}}

// String writes the size with the largest binary unit that divides it.
func (s *sizeFlag) String() string {
	for _, u := range sizeUnits[:3] {
		if *s != 0 && int64(*s)%u.bytes == 0 {
			return strconv.FormatInt(int64(*s)/u.bytes, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(*s), 10)
}

// Set parses a size; pflag reports an error together with the flag's
// name.
func (s *sizeFlag) Set(v string) error {
	num, unit := strings.TrimSpace(v), int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(num, u.suffix) {
			num, unit = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.bytes
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/unit {
		return fmt.Errorf("bad size %q (want a whole number of bytes, e.g. 1048576, 512KiB, 1MiB)", v)
	}
	*s = sizeFlag(n * unit)
	return nil
}

// Type names the flag's type in help.
func (s *sizeFlag) Type() string { return "size" }
