package configs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"github.com/lightsout-sim/lightsout/twin"
)

// keyDelim is the viper key delimiter. Viper splits keys on its delimiter,
// "." by default, which would turn a YAML key "run.duration" into the nested
// key run → duration and report a typo such as "bad.key" as an unknown key
// "bad". A delimiter that cannot occur in a YAML key keeps every key literal.
const keyDelim = "\x00"

// Load reads and parses the config file at path; see [Parse]. A missing or
// unreadable file is reported as an [*Error] too.
func Load(path string) (*twin.Spec, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, &Error{File: path, Problems: []string{"is a directory, not a config file"}}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		msg := "cannot read: " + err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "no such file"
		}
		return nil, &Error{File: path, Problems: []string{msg}, Err: err}
	}
	return Parse(path, data)
}

// Parse decodes the YAML config data, fills in defaults and validates the
// result. The name is used only in messages (usually the file name).
//
// Decoding is strict: an unknown key anywhere is a problem, as is a value
// of the wrong kind (a bare number where a duration is expected, text where
// a number is expected, a fraction where a whole number is expected, a
// NaN or an infinity such as .nan or .inf, though .inf is an unbounded
// buffer). Validation checks the line ([twin.Spec.Validate]: its upper
// bounds included, twin.MaxLines, stations.MaxServers and so on), and
// that the line's name, station ids and arm ids are ids the edge can
// publish under (sparkplug.ValidateID). On failure the error is an
// [*Error] that lists every problem found, decoding and validation alike.
func Parse(name string, data []byte) (*twin.Spec, error) {
	spec, _, err := parse(name, data)
	return spec, err
}

// parse is Parse, also returning the problems found (nil when the file
// could not be read as YAML), for tests of how they were found.
func parse(name string, data []byte) (*twin.Spec, *problems, error) {
	fail := func(problems ...string) error {
		return &Error{File: name, Problems: problems}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, fail("empty file: a config needs at least a stations list")
	}
	v := viper.NewWithOptions(viper.KeyDelimiter(keyDelim))
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, nil, &Error{File: name, Problems: yamlProblems(err), Err: err}
	}
	if len(v.AllKeys()) == 0 {
		return nil, nil, fail("empty file: only comments, no settings")
	}

	var spec twin.Spec
	var ps problems
	ps.unknownNullKeys(v)
	ps.decode(v.Unmarshal(&spec, decoderConfig))
	ps.presence(v.AllSettings())
	spec.Defaults()
	ps.validate(spec.Validate())
	ps.validate(checkAutopilot(&spec))
	ps.ids(&spec)
	if len(ps.list) > 0 {
		ps.sort()
		return nil, &ps, fail(ps.lines()...)
	}
	return &spec, &ps, nil
}

// decoderConfig makes viper's mapstructure decoding strict.
func decoderConfig(c *mapstructure.DecoderConfig) {
	c.ErrorUnused = true
	c.WeaklyTypedInput = false
	c.DecodeHook = mapstructure.ComposeDecodeHookFunc(
		numberHook,
		mapstructure.TextUnmarshallerHookFunc(),
		shapeHook,
	)
}

// yamlProblems turns a YAML read error into problems that keep the line
// number the YAML parser reports.
func yamlProblems(err error) []string {
	msg := err.Error()
	var pe viper.ConfigParseError
	if errors.As(err, &pe) && pe.Unwrap() != nil {
		msg = pe.Unwrap().Error()
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	var out []string
	for _, l := range strings.Split(strings.TrimPrefix(msg, "unmarshal errors:"), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		line, rest, ok := strings.Cut(l, ": ")
		if !ok || !strings.HasPrefix(line, "line ") {
			out = append(out, "YAML syntax error: "+l)
			continue
		}
		if strings.HasPrefix(rest, "cannot unmarshal") && strings.Contains(rest, "into map") {
			rest = "the file must be a mapping of keys (name:, stations: …), not " +
				yamlKind(rest)
		} else {
			rest = "YAML syntax error: " + rest
		}
		out = append(out, line+": "+rest)
	}
	if len(out) == 0 {
		out = []string{"YAML syntax error: " + msg}
	}
	return out
}

// yamlKind names the YAML node kind in a yaml "cannot unmarshal !!seq ..." message.
func yamlKind(msg string) string {
	switch {
	case strings.Contains(msg, "!!seq"):
		return "a list"
	case strings.Contains(msg, "!!str"):
		return "text"
	case strings.Contains(msg, "!!int"), strings.Contains(msg, "!!float"):
		return "a number"
	}
	return "a single value"
}
