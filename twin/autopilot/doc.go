// Package autopilot closes the loop of a lights-out line: policies that
// watch what the plant's software can see and decide when to maintain a
// machine, whom the maintenance crew serves first, and how to keep the
// line's constraint fed, within guard rails a plant insists on.
//
// # The contract
//
// An adapter builds an [Observation] at each decision epoch: per machine
// (station server or arm) the state it publishes, its buffer, speed,
// counters, design cycle, and the readings of its condition sensors; the
// crews and their queues; optionally the shift forecast and the
// deviations raised. It holds no true health: the package imports only
// the standard library and twin/sim, so a policy cannot reach the model's
// internals, and it learns how worn a machine is only from readings that
// arrive late, noisy or not at all.
//
// A [Policy] says how often it wants to decide ([Policy.Epoch]) and turns
// observations into [Action]s: maintain a machine now, dispatch the crew
// to a machine first, change a station's speed, move buffer capacity
// between two stations within a fixed total. Every action carries a reason
// and the numbers behind it, as an ordered list of [Number]s.
//
// A [Pilot] runs a policy within a [Guard]: it asks the policy at each
// epoch, checks each action against the observation, applies it unless
// the pilot only recommends, is held by an operator ([Pilot.Hold],
// [Pilot.Release]) or has reached its cap of actions per hour, and logs
// every decision, applied or not and why, in a bounded [Log] that an HTTP
// endpoint can serve as JSON ([Pilot.Status]).
//
// Two adapters feed the same code. In the simulator, the observation comes
// from the simulated sensor stream and the line's published states, and
// the actions become the line's commands, queued as events, so a run stays
// reproducible from its config and seed. In the twin, the observation
// comes from the mirror and the actions become DCMDs.
//
// # Policies
//
// [New] makes a policy by name ([Names]): none (does nothing: run to
// failure plus the calendar maintenance of the line's config), predictive
// (remaining useful life from a robust trend fit of the condition
// readings, see [Life]) and forecast (what-ifs of candidate actions,
// through an [Evaluator], when the shift falls behind or a deviation is
// raised). [Params] holds their parameters, with defaults, names and
// validation.
//
// # Determinism
//
// A policy keeps no clock but the observations', draws no random number
// and iterates no map for what it returns: the same observations in the
// same order give the same decisions. An epoch that decides nothing
// allocates nothing once the policy has seen the line.
package autopilot
