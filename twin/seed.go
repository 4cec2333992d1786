package twin

import (
	"bytes"
	"fmt"
	"strconv"
)

// MaxJSONNumberSeed is the largest seed read from a JSON number: above it
// (2^53 - 1) a JSON number loses precision in JavaScript and jq.
const MaxJSONNumberSeed = 1<<53 - 1

// Seed is a random seed in a JSON document the program writes and reads
// back (a what-if request, a session log, a sweep's manifest): written as
// a string ("7"), so that no JSON reader rounds it; read from a string, or
// from a whole JSON number up to MaxJSONNumberSeed.
type Seed uint64

// MarshalJSON writes the seed as a JSON string of its decimal digits.
func (s Seed) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, strconv.FormatUint(uint64(s), 10)), nil
}

// UnmarshalJSON reads a JSON string of decimal digits, or a whole JSON
// number up to MaxJSONNumberSeed; errors start with "seed".
func (s *Seed) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		text, err := strconv.Unquote(string(data))
		if err != nil {
			return fmt.Errorf("seed %s: not a JSON string", data)
		}
		v, err := strconv.ParseUint(text, 10, 64)
		if err != nil {
			return fmt.Errorf("seed %s: want a whole number from 0 to %d in the string", data, uint64(1<<64-1))
		}
		*s = Seed(v)
		return nil
	}
	v, err := strconv.ParseUint(string(data), 10, 64)
	switch {
	case err == nil && v <= MaxJSONNumberSeed:
		*s = Seed(v)
		return nil
	case err == nil || isDigits(data):
		return fmt.Errorf("seed %s: a JSON number above 2^53 loses precision: write it as a string, \"%s\"", data, data)
	}
	return fmt.Errorf("seed %s: want a whole number, as a string (\"7\") or a JSON number below 2^53", data)
}

// isDigits reports whether b is all decimal digits.
func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
