package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagProblems gathers every bad flag of one command line, so that they
// are reported at once, as the problems of a config are: a bad value does
// not stop the parse, and an unknown flag stops pflag but not the search
// for more problems after it.
type flagProblems struct {
	args     []string
	problems []string
}

// collectingValue is a flag's value that records a bad value rather than
// stopping the parse.
type collectingValue struct {
	pflag.Value
	name string
	to   *flagProblems
}

func (v *collectingValue) Set(s string) error {
	if err := v.Value.Set(s); err != nil {
		v.to.problems = append(v.to.problems, fmt.Sprintf("invalid argument %q for %q flag: %v", s, "--"+v.name, plainError(err)))
	}
	return nil
}

// plainError words strconv's errors for people.
func plainError(err error) string {
	var ne *strconv.NumError
	if !errors.As(err, &ne) {
		return err.Error()
	}
	if errors.Is(ne.Err, strconv.ErrRange) {
		return "out of range"
	}
	switch ne.Func {
	case "ParseUint":
		return "want a whole number from 0"
	case "ParseInt", "Atoi":
		return "want a whole number"
	case "ParseFloat":
		return "want a number"
	case "ParseBool":
		return "want true or false"
	}
	return err.Error()
}

// collectingBool is a collectingValue of a boolean flag: pflag knows such
// a flag by its IsBoolFlag method (it then needs no value, and a default of
// false is not printed), so only boolean flags may have one.
type collectingBool struct{ *collectingValue }

func (collectingBool) IsBoolFlag() bool { return true }

// collectFlagErrors makes every command of the tree under root report all
// its bad flags in one error (status 2, one line each), given the command
// line args.
func collectFlagErrors(root *cobra.Command, args []string) {
	fp := &flagProblems{args: args}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		wrap := func(f *pflag.Flag) {
			switch f.Value.(type) {
			case *collectingValue, collectingBool:
				return
			}
			if t := f.Value.Type(); strings.HasSuffix(t, "Array") || strings.HasSuffix(t, "Slice") {
				return // lists take any string; wrapped, help would print their empty default
			}
			cv := &collectingValue{Value: f.Value, name: f.Name, to: fp}
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				f.Value = collectingBool{cv}
			} else {
				f.Value = cv
			}
		}
		c.LocalNonPersistentFlags().VisitAll(wrap)
		c.PersistentFlags().VisitAll(wrap)
		c.Flags().VisitAll(wrap)
		if c.RunE != nil || c.Run != nil {
			pre := c.PreRunE
			c.PreRunE = func(cmd *cobra.Command, a []string) error {
				if len(fp.problems) > 0 {
					return fp.err(cmd)
				}
				if pre != nil {
					return pre(cmd, a)
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		fp.problems = append(fp.problems, err.Error())
		fp.scanAfter(cmd, err)
		return fp.err(cmd)
	})
}

// err returns the problems as one bad-input error.
func (fp *flagProblems) err(cmd *cobra.Command) error {
	ps := append([]string(nil), fp.problems...)
	ps[len(ps)-1] += fmt.Sprintf(" (see '%s --help')", cmd.CommandPath())
	return badInputs(ps)
}

// scanAfter looks for further problems after the flag pflag stopped at
// (named in stop): unknown flags and bad values.
func (fp *flagProblems) scanAfter(cmd *cobra.Command, stop error) {
	msg := stop.Error()
	start := -1
	for i, a := range fp.args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(a, "=")
		if strings.HasPrefix(a, "-") && (strings.HasSuffix(msg, " "+name) || strings.Contains(msg, " in "+name)) {
			start = i
			break
		}
	}
	if start < 0 {
		return
	}
	fs := cmd.Flags()
	for i := start + 1; i < len(fp.args); i++ {
		a := fp.args[i]
		if a == "--" {
			return
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		var f *pflag.Flag
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "--") {
			f = fs.Lookup(name)
		} else if len(name) == 1 {
			f = fs.ShorthandLookup(name)
		} else {
			f = fs.ShorthandLookup(name[:1])
			if f != nil && f.NoOptDefVal == "" {
				value, hasValue = name[1:], true
			}
		}
		if f == nil {
			fp.problems = append(fp.problems, "unknown flag: "+strings.SplitN(a, "=", 2)[0])
			continue
		}
		if !hasValue && f.NoOptDefVal == "" && i+1 < len(fp.args) {
			i++
			value, hasValue = fp.args[i], true
		}
		if hasValue {
			_ = f.Value.Set(value) // records a bad value
		}
	}
}
