// Package pilot flies an autopilot (package autopilot) on a line: it builds
// the observations a policy decides from and turns the actions the pilot
// applies into the line's commands.
//
// In the simulator ([Attach]) the pilot is a twin.Controller of a
// twin.Line: its decision epochs are events on the line's engine, the
// observation is read from what the line publishes (phases, buffers,
// counters, crews) and from the condition readings as they arrive (late,
// noisy, some lost), never from the true health, and the actions become
// commands queued like an operator's, so a run with an autopilot is
// reproducible from its config and seed. [Evaluator] forks what-ifs of
// candidate actions from a line's state, with common random numbers, for
// the policy forecast.
package pilot
