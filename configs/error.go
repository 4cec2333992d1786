package configs

import "strings"

// Error is a config that could not be loaded. It holds every problem found,
// so a user can fix them all in one go; a command line tool prints
// [Error.Lines] one per line and exits with status 2.
type Error struct {
	// File names the config as the user gave it: a path, or for an
	// embedded config its name with ".yaml".
	File string
	// Problems describe what is wrong, one each, without the file name.
	// Most start with the path of the field they are about
	// ("stations[3].buffer: capacity -2 is negative"); YAML syntax errors
	// start with the line number ("line 4: ...").
	Problems []string
	// Err is the underlying cause when there is a single one (for a missing
	// file it satisfies errors.Is(err, fs.ErrNotExist)); nil otherwise.
	Err error
}

// Lines returns the problems, each prefixed with the file name:
// "demo.yaml: stations[3].buffer: capacity -2 is negative".
func (e *Error) Lines() []string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.File + ": " + p
	}
	return lines
}

// Error returns [Error.Lines] joined by newlines.
func (e *Error) Error() string { return strings.Join(e.Lines(), "\n") }

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }
