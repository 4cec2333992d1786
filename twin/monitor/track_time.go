package monitor

// The time accounting of the tracker: spans a device was observed, and the
// time each machine spent in each PackML state (see track.go).

// markStale stops the observation of the device and its servers at at.
func (d *trackDevice) markStale(at uint64) {
	d.main.stop(at)
	for k := range d.servers {
		d.servers[k].stop(at)
	}
}

// stop ends observation at at (no-op when not observed).
func (sp *trackSpan) stop(at uint64) {
	if sp.observed {
		sp.observed, sp.staleAt = false, at
	}
}

// resume restarts observation at at; the time since staleAt is unknown.
func (sp *trackSpan) resume(at uint64) {
	if !sp.observed {
		if at > sp.staleAt {
			sp.unknown += at - sp.staleAt
		}
		sp.observed = true
	}
}

// unknownAt returns the unknown time up to clock.
func (sp *trackSpan) unknownAt(clock uint64) uint64 {
	u := sp.unknown
	if !sp.observed && clock > sp.staleAt {
		u += clock - sp.staleAt
	}
	return u
}

// start begins a machine's history at at on a line first seen at first:
// the time before at is unknown.
func (st *trackMachine) start(first, at uint64) {
	st.trackSpan = trackSpan{first: first, observed: true, unknown: at - min(at, first)}
	st.seg = at
}

func (st *trackMachine) stop(at uint64) {
	if st.observed {
		st.close(max(at, st.seg))
	}
	st.trackSpan.stop(max(at, st.seg))
}

func (st *trackMachine) resume(at uint64) {
	if !st.observed {
		st.trackSpan.resume(at)
		st.seg = max(at, st.staleAt)
	}
}

// close accounts the current segment up to at to the current state.
func (st *trackMachine) close(at uint64) {
	if at <= st.seg {
		return
	}
	if st.known {
		st.bucket(st.name, st.number, st.held, st.epoch).ms += at - st.seg
	} else {
		st.unknown += at - st.seg
	}
	st.seg = at
}

// set records the state read from the mirror with its timestamp ts. Only a
// change of state (name or number) moves since: a rebirth that repeats the
// state keeps it.
func (st *trackMachine) set(name string, number int32, ts uint64) {
	if st.known && name == st.name && number == st.number {
		return
	}
	at := max(ts, st.seg)
	st.close(at)
	st.known, st.name, st.number, st.since = true, name, number, at
}

func (st *trackMachine) bucket(name string, number int32, held bool, epoch int32) *trackBucket {
	for i := range st.acc {
		if b := &st.acc[i]; b.name == name && b.number == number && b.held == held && b.epoch == epoch {
			return b
		}
	}
	st.acc = append(st.acc, trackBucket{name: name, number: number, held: held, epoch: epoch})
	return &st.acc[len(st.acc)-1]
}

// rekey accounts the time up to at to the current key and the time from
// then on to held and epoch.
func (st *trackMachine) rekey(at uint64, held bool, epoch int32) {
	if st.held == held && st.epoch == epoch {
		return
	}
	if st.observed {
		st.close(max(at, st.seg))
	}
	st.held, st.epoch = held, epoch
}

// each calls f with every bucket up to clock, the open segment included
// (as a bucket of its own, possibly repeating another's key).
func (st *trackMachine) each(clock uint64, f func(b *trackBucket)) {
	for i := range st.acc {
		f(&st.acc[i])
	}
	if st.observed && st.known && clock > st.seg {
		f(&trackBucket{name: st.name, number: st.number, held: st.held, epoch: st.epoch, ms: clock - st.seg})
	}
}

// timeIn returns the time spent in state name up to clock, in ms.
func (st *trackMachine) timeIn(name string, clock uint64) uint64 {
	var ms uint64
	for i := range st.acc {
		if st.acc[i].name == name {
			ms += st.acc[i].ms
		}
	}
	if st.observed && st.known && st.name == name && clock > st.seg {
		ms += clock - st.seg
	}
	return ms
}

// observedAt returns the time with a known state up to clock, in ms.
func (st *trackMachine) observedAt(clock uint64) uint64 {
	var ms uint64
	for i := range st.acc {
		ms += st.acc[i].ms
	}
	if st.observed && st.known && clock > st.seg {
		ms += clock - st.seg
	}
	return ms
}
