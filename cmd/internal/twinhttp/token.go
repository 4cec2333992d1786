package twinhttp

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// TokenEnv is the environment variable the API token is read from when
// no --api-token-file is given. A token is never a flag's value: the
// process list would show it.
const TokenEnv = "LIGHTSOUT_API_TOKEN"

// MinTokenLen is the fewest characters a twin accepts as its token.
const MinTokenLen = 16

// maxTokenFile bounds what is read of a token file.
const maxTokenFile = 4096

// A Token is the API token and where it came from.
type Token struct {
	// Value is the token; empty when none was given.
	Value string
	// Source says where it came from, for messages: "--api-token-file
	// FILE" or "$LIGHTSOUT_API_TOKEN".
	Source string
	// Warning, when not empty, says something the user should fix (a
	// token file other users can read).
	Warning string
}

// LoadToken reads the token from file, or when file is empty from
// $LIGHTSOUT_API_TOKEN (none: an empty Token). Surrounding white space
// is dropped; what remains must be printable ASCII without spaces, as an
// Authorization header carries it. Its errors name the flag or variable.
func LoadToken(file string) (Token, error) {
	if file == "" {
		t := Token{Value: strings.TrimSpace(os.Getenv(TokenEnv)), Source: "$" + TokenEnv}
		if os.Getenv(TokenEnv) != "" && t.Value == "" {
			return t, fmt.Errorf("%s: only white space", t.Source)
		}
		return t, checkToken(t)
	}
	t := Token{Source: "--api-token-file " + file}
	f, err := os.Open(file)
	if err != nil {
		return t, fmt.Errorf("--api-token-file: %v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	switch {
	case err != nil:
		return t, fmt.Errorf("%s: %v", t.Source, err)
	case len(b) > maxTokenFile:
		return t, fmt.Errorf("%s: longer than %d bytes: not a token", t.Source, maxTokenFile)
	}
	if t.Value = strings.TrimSpace(string(b)); t.Value == "" {
		return t, fmt.Errorf("%s: empty", t.Source)
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		t.Warning = fmt.Sprintf("%s can be read by other users (mode %#o): chmod 600 it", t.Source, fi.Mode().Perm())
	}
	return t, checkToken(t)
}

// checkToken checks that a token can travel in an Authorization header.
func checkToken(t Token) error {
	for i := 0; i < len(t.Value); i++ {
		if c := t.Value[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("%s: the token has a space or a character that is not printable ASCII at byte %d", t.Source, i+1)
		}
	}
	return nil
}
