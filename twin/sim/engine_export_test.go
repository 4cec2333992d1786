package sim

// NearSeqLimit makes e behave as if it had scheduled so many events that its
// sequence numbers run out after left more, so that tests reach renumber.
func NearSeqLimit(e *Engine, left uint64) {
	if s := maxSeq - left; s > e.seq {
		e.seq = s
	}
}

// QueueLen returns the number of entries in e's heap, cancelled ones
// included, for tests of the bound on memory.
func QueueLen(e *Engine) int { return len(e.heap) }

// CompactMin is the number of cancelled entries the heap may hold however
// few events are pending.
const CompactMin = compactMin

// RoundPositive is the rounding of Seconds, for tests against math.Round.
func RoundPositive(x float64) Time { return roundPositive(x) }
