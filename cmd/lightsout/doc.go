// Command lightsout runs the Lightsout line simulator headless. It never
// imports a GUI toolkit, so it runs on a server with no display.
//
// Commands:
//
//	lightsout batch      run replications, report KPIs with 95% confidence intervals
//	lightsout validate   check config files, one line per problem
//	lightsout configs    list the embedded configs; "configs show NAME" prints one
//	lightsout version    release, Go version and build information
//
// Global flags --log-format (console or json) and --log-level choose how
// logs look on stderr. Results go to stdout or to a file written atomically.
//
// Exit status: 0 success; 1 failure (I/O); 2 bad input (a bad flag value, an
// unknown or invalid config, conflicting flags), with one line per problem on
// stderr and no output file; 130 interrupted.
//
// The files hold one concept each: root.go the command tree and shared
// state, exit.go exit statuses and error printing, batch.go the batch
// command, report_*.go its output formats, progress.go the progress bar,
// logging.go the zap logger. Output files are written with
// cmd/internal/atomicfile.
package main
