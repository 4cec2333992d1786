// Command lightsout runs the Lightsout line simulator headless. It never
// imports a GUI toolkit, so it runs on a server with no display.
//
// Commands:
//
//	lightsout batch           run replications, report KPIs with 95% confidence intervals
//	lightsout sweep, merge    run the scenarios of a sweep file (sharded if asked); merge shards
//	lightsout bench           measure the simulator's speed on this machine
//	lightsout validate        check config files, one line per problem
//	lightsout configs         list the embedded configs; "configs show NAME" prints one
//	lightsout lessons         list the lessons for trainers; "lessons show NAME" prints one
//	lightsout replay-session  replay a session recorded by the window, headless
//	lightsout edge, twin, demo-twin, replay, whatif, command
//	                          the digital twin over MQTT (see the README)
//	lightsout version         release, Go version and build information
//
// Global flags --log-format (console or json) and --log-level choose how
// logs look on stderr. Results go to stdout or to a file written atomically.
//
// Exit status: 0 success; 1 failure (I/O); 2 bad input (a bad flag value, an
// unknown or invalid config, conflicting flags), with one line per problem on
// stderr and no output file; 130 interrupted (SIGINT or SIGTERM), also for
// the commands that run until stopped (edge, twin, demo-twin, replay --http).
//
// The package holds flag parsing and wiring only; what is worth a test
// lives in library packages: twin/experiment runs batches and sweeps and
// writes their reports, cmd/internal/bench makes the speed measurements,
// cmd/internal/report draws the HTML reports, cmd/internal/progress draws
// the progress bar and stops a long run on an interrupt, twin/textfmt
// formats figures, cmd/internal/atomicfile writes output files,
// cmd/internal/twinhttp serves the twin's HTTP API and calls it. Here,
// root.go is the command tree and shared state, exit.go exit statuses and
// error printing, console.go stderr, longrun.go a long run with its
// progress bar and interrupt, and each command has its file (batch.go,
// sweep.go, merge.go, bench.go, configs.go …). format.go and table.go
// forward to twin/textfmt for the twin commands still being rewired.
package main
