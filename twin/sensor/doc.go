// Package sensor turns the true events of a simulated line into the
// readings a plant's sensors would give: photo-eyes at buffer entries and
// exits, part counters, vision verdicts, measured cycle times and station
// state signals, each delayed by a latency, perturbed by noise and sometimes
// lost. Readings are written as JSON lines as the run goes, in order of
// reading time, so a year-long trace never sits in memory.
package sensor
