package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/configs"
	"github.com/lightsout-sim/lightsout/twin/link"
)

// Exit statuses of lightsout.
const (
	exitOK          = 0
	exitFailure     = 1   // the command could not be carried out (I/O …)
	exitBadInput    = 2   // bad flags, arguments or configs: nothing was run or written
	exitInterrupted = 130 // stopped by SIGINT or SIGTERM, as shells report it
)

// exitError is the error a command returns to end lightsout with a given
// status. Its lines are printed on stderr as they are, one per line.
type exitError struct {
	code  int
	lines []string
}

func (e *exitError) Error() string { return strings.Join(e.lines, "\n") }

// badInput reports one problem with the user's input (status 2).
func badInput(format string, a ...any) *exitError {
	return &exitError{code: exitBadInput, lines: []string{"lightsout: " + fmt.Sprintf(format, a...)}}
}

// badInputs reports several problems with the user's input (status 2).
func badInputs(problems []string) *exitError {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = "lightsout: " + p
	}
	return &exitError{code: exitBadInput, lines: lines}
}

// configProblem reports a config that could not be loaded (status 2), one
// line per problem, each starting with the file name.
func configProblem(err error) *exitError {
	var ce *configs.Error
	if errors.As(err, &ce) {
		return &exitError{code: exitBadInput, lines: ce.Lines()}
	}
	return badInput("%v", err)
}

// inputProblems reports the flag problems and the config's (configErr,
// from configs.Resolve), all at once (status 2); nil when there are none.
func inputProblems(problems []string, configErr error) error {
	if len(problems) == 0 && configErr == nil {
		return nil
	}
	e := badInputs(problems)
	if configErr != nil {
		e.lines = append(e.lines, configProblem(configErr).lines...)
	}
	return e
}

// interrupted reports a command stopped by SIGINT or SIGTERM (status
// 130): what the message says happened.
func interrupted(format string, a ...any) *exitError {
	return &exitError{code: exitInterrupted, lines: []string{"lightsout: " + fmt.Sprintf(format, a...)}}
}

// failure reports a failure that is not the user's input (status 1).
func failure(err error) *exitError {
	return &exitError{code: exitFailure, lines: strings.Split("lightsout: "+err.Error(), "\n")}
}

// withHint adds a pointer to the command's help to a usage error.
func withHint(cmd *cobra.Command, msg string) *exitError {
	return badInput("%s (see '%s --help')", msg, cmd.CommandPath())
}

// runE adapts a command body to cobra: an error that is not an *exitError
// becomes a failure (status 1), so that only deliberate checks report bad
// input.
func runE(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := fn(cmd, args)
		if err == nil {
			return nil
		}
		var ee *exitError
		if errors.As(err, &ee) {
			return ee
		}
		return failure(err)
	}
}

// report prints err on stderr and returns the exit status for it. Errors
// that did not come through runE come from cobra itself (unknown command,
// wrong number of arguments): they are usage errors.
func report(stderr io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = withHint(cmd, oneLine(err.Error()))
	}
	for _, line := range ee.lines {
		fmt.Fprintln(stderr, line)
	}
	return ee.code
}

// oneLine folds cobra's multi-line messages ("unknown command …\n\nDid you
// mean this?\n\tbatch") into one line.
func oneLine(msg string) string {
	first, rest, ok := strings.Cut(strings.TrimSpace(msg), "\n")
	if !ok {
		return first
	}
	if _, sugg, ok := strings.Cut(rest, "Did you mean this?"); ok {
		return fmt.Sprintf("%s; did you mean %s?", first, strings.Join(strings.Fields(sugg), " or "))
	}
	return first
}

// connectFailure reports a failed first connection to the broker: bad
// input (status 2) when the broker refused the credentials or its
// certificate is not trusted, which retrying cannot fix; else a failure.
func connectFailure(err error) *exitError {
	if errors.Is(err, link.ErrRefused) || errors.Is(err, link.ErrUntrusted) {
		return badInput("%v", err)
	}
	return failure(err)
}
