package api

// WithCostlyDone returns p telling done how each forecast or what-if that
// got a slot ended, after its slot is free again.
func WithCostlyDone(p Policy, done func(err error)) Policy {
	p.costlyDone = done
	return p
}
