// Package configs reads line definitions: YAML files that describe a
// [twin.Spec] (stations, buffers, robot arms, sensors and batch defaults).
//
// [Load] reads a file on disk and [Parse] reads bytes already in memory. Both
// decode strictly with a local viper instance: an unknown or misspelt key
// anywhere is an error, a duration must carry a unit ("3s", not 3), and a
// capacity is a whole number or "inf". After decoding, the spec gets its
// defaults and is validated. Every problem found is reported at once in one
// [*Error], one line per problem, each naming the file and the field path:
//
//	demo.yaml: stations[2]: unknown key "bufer" (did you mean "buffer"?)
//	demo.yaml: stations[3].buffer: capacity -2 is negative (write inf for an unbounded buffer)
//
// The package also embeds the configs shipped with Lightsout ([Names],
// [Source], [Embedded]); [Resolve] turns the argument of a --config flag
// (a path on disk or the name of an embedded config) into a spec.
//
// The package keeps no state: there are no package-level settings, no init
// side effects and no viper singleton, so it is safe for concurrent use.
package configs
