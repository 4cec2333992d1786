// Package deviation turns a twin's stream of observations into deviation
// events: a station whose cycle time drifts away from the model's
// distribution ([Drift], a two-sided tabular CUSUM), cumulative output that
// leaves the forecast band ([OutputBand]), devices that stop reporting
// ([StaleDetector]) and protocol faults such as sequence gaps or malformed
// payloads ([FaultRecorder]). Every deviation is an [Event] with a time, a
// device, a [Kind] and a readable reason.
//
// The detectors are plain values fed by the caller: they keep no clock, start
// no goroutine and are not safe for concurrent use; the host serialises calls
// (typically from its one message-handling goroutine). Observing a value
// that raises no event allocates nothing.
package deviation
