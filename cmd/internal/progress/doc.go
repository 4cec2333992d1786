// Package progress shows how far a long run has got and lets the person who
// started it stop it.
//
// A [Console] is a terminal's stderr shared by log lines, error messages and
// one progress [Bar]: every write first erases the bar and then draws it
// again below, so logs never end up in the middle of it. A Bar redraws at
// most ten times a second, with the share done and an estimate of the time
// left. Where there is no terminal, [Log] turns progress into a log line at
// every tenth done.
//
// [Run] runs a function in a goroutine of its own and returns as soon as it
// ends or its context does ([ErrInterrupted]): a command can then exit at
// once on SIGINT, leaving the run to end with the process.
//
// A Console and a Bar are safe for concurrent use.
package progress
