// Package sim is the discrete-event kernel of Lightsout: an integer clock, an
// event queue ordered by (time, sequence), seeded random streams, and the
// distributions used by line configs.
//
// The kernel is callback driven: an entity implements [Handler] and schedules
// events addressed to itself with a small integer argument that says what the
// event means. There is no goroutine per process, no global state, and no
// allocation per event once the queue has grown to its working size.
//
// An [Engine] is not safe for concurrent use; run one engine per goroutine.
// Misuse (scheduling in the past, running backwards) panics with a message
// that names the problem.
package sim
