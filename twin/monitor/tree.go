package monitor

import (
	"cmp"
	"slices"

	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/sparkplug/host"
)

// A Tree is the ISA-95 view of what the host mirrors: the site, one area
// per Sparkplug group, one line per edge node, one work cell per station.
type Tree struct {
	// Site names the ISA-95 site, the root of the tree.
	Site string `json:"site"`
	// Areas are the Sparkplug groups mirrored, one area each, by name.
	Areas []AreaNode `json:"areas"`
}

// An AreaNode is one Sparkplug group.
type AreaNode struct {
	// Name is the Sparkplug group's name.
	Name string `json:"name"`
	// Lines are the group's edge nodes, one line each, by edge node id.
	Lines []LineNode `json:"lines"`
}

// A LineNode is one edge node. Times are ms since the Unix epoch taken from
// metric timestamps (the line's clock), never from the host's clock.
type LineNode struct {
	// Name is the edge node's id.
	Name string `json:"name"`
	// Online says the edge node is born and not dead.
	Online bool `json:"online"`
	// Stale says the edge node went silent for longer than the host allows.
	Stale bool `json:"stale"`
	// Copy is the copy of the modelled line the node publishes, from 1 as
	// in its name (<node>-L1 is copy 1); 0 when it is not a modelled line.
	Copy int `json:"copy"`
	// First is the metric timestamp at which the host first saw the line,
	// in ms since the Unix epoch.
	First uint64 `json:"first"`
	// Clock is the line's latest metric timestamp, in ms since the Unix
	// epoch.
	Clock uint64 `json:"clock"`
	// ElapsedS is the time from First to Clock, in seconds.
	ElapsedS float64 `json:"elapsed_s"`
	// UnknownS is the part of ElapsedS the edge node was dead or not yet
	// born, in seconds.
	UnknownS float64 `json:"unknown_s"`
	// Cells are the line's work cells: the modelled stations in flow
	// order, then every other device by id.
	Cells []CellNode `json:"cells"`
}

// A CellNode is one work cell: a station with the arms that serve it
// (when the spec is known), or an arm or other device on its own. An arm
// that serves several stations appears in the cell of each.
type CellNode struct {
	// Name is the id of the cell's station (or of its lone device).
	Name string `json:"name"`
	// Devices are the station and the arm that serves it, or the lone
	// device.
	Devices []DeviceNode `json:"devices"`
}

// A DeviceNode is one device (a station or an arm) with its PackML state.
// For a multi-server station Servers holds each server's history.
type DeviceNode struct {
	// ID is the device's id.
	ID string `json:"id"`
	// Kind is "station", "arm" or "device".
	Kind string `json:"kind"`
	// Online says the device is born.
	Online bool `json:"online"`
	// Stale says the device went silent for longer than the host allows.
	Stale bool `json:"stale"`
	StateHistory
	// Servers holds each server's history, from server 1, for a station
	// that publishes Server k/State (absent otherwise).
	Servers []StateHistory `json:"servers,omitempty"`
}

// A StateHistory is the PackML state of a machine and the time it spent in
// each state. The times add up to the line's elapsed time: TimeInState
// (the states seen) plus UnknownS (dead, stale or not yet born).
type StateHistory struct {
	// State is the name of the current (or last known) PackML state.
	State string `json:"state"`
	// StateNumber is State's PackML number.
	StateNumber int32 `json:"state_number"`
	// Since is the metric timestamp (ms since the Unix epoch) of the last
	// change of state; a rebirth that repeats the state keeps it.
	Since uint64 `json:"since"`
	// InStateS is the time in the current state (the line's Clock less
	// Since), in seconds; 0 while the state is unknown.
	InStateS float64 `json:"in_state_s"`
	// TimeInState is the time spent in each state seen since the host
	// first saw the line, by state number.
	TimeInState []StateTime `json:"time_in_state"`
	// UnknownS is the time the state was unknown (dead, stale or not yet
	// born) since the host first saw the line, in seconds.
	UnknownS float64 `json:"unknown_s"`
}

// A StateTime is the time accumulated in one PackML state.
type StateTime struct {
	// State is the PackML state's name.
	State string `json:"state"`
	// Number is the state's PackML number.
	Number int32 `json:"number"`
	// Seconds is the time spent in the state, in seconds.
	Seconds float64 `json:"seconds"`
}

func trackSeconds(ms uint64) float64 { return float64(ms) / 1000 }

func (st *trackMachine) history(clock uint64) StateHistory {
	out := StateHistory{State: st.name, StateNumber: st.number, Since: st.since,
		UnknownS: trackSeconds(st.unknownAt(clock)), TimeInState: []StateTime{}}
	if st.known && clock > st.since {
		out.InStateS = trackSeconds(clock - st.since)
	}
	current := st.known && st.observed && clock > st.seg
	for _, b := range st.acc {
		if current && b.name == st.name && b.number == st.number {
			b.ms += clock - st.seg
			current = false
		}
		out.TimeInState = append(out.TimeInState, StateTime{State: b.name, Number: b.number, Seconds: trackSeconds(b.ms)})
	}
	if current {
		out.TimeInState = append(out.TimeInState, StateTime{State: st.name, Number: st.number, Seconds: trackSeconds(clock - st.seg)})
	}
	slices.SortFunc(out.TimeInState, func(a, b StateTime) int {
		return cmp.Or(cmp.Compare(a.Number, b.Number), cmp.Compare(a.State, b.State))
	})
	return out
}

// Tree returns the ISA-95 tree of every edge node in v (a view of the
// mirror the monitor observes), sorted by group and edge node id.
func (m *Monitor) Tree(v *mirror.View) Tree {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.treeLocked(v)
}

func (m *Monitor) treeLocked(v *mirror.View) Tree {
	tree := Tree{Site: m.cfg.Site, Areas: []AreaNode{}}
	for i := range v.Nodes {
		nv := &v.Nodes[i]
		lt := m.track.lines[nodeKey{nv.Group, nv.EdgeNode}]
		if lt == nil {
			continue
		}
		if len(tree.Areas) == 0 || tree.Areas[len(tree.Areas)-1].Name != nv.Group {
			tree.Areas = append(tree.Areas, AreaNode{Name: nv.Group})
		}
		a := &tree.Areas[len(tree.Areas)-1]
		a.Lines = append(a.Lines, m.lineNode(lt, nv))
	}
	return tree
}

func (m *Monitor) lineNode(lt *trackLine, nv *host.NodeView) LineNode {
	ln := LineNode{Name: nv.EdgeNode, Online: nv.Online, Stale: nv.Stale,
		First: lt.life.first, Clock: lt.clock, ElapsedS: trackSeconds(lt.clock - lt.life.first),
		UnknownS: trackSeconds(lt.life.unknownAt(lt.clock)), Cells: []CellNode{}}
	if c, ok := m.cfg.Model.CopyOf(nv.Group, nv.EdgeNode); ok {
		ln.Copy = c + 1
	}
	views := map[string]*host.DeviceView{}
	for i := range nv.Devices {
		views[nv.Devices[i].ID] = &nv.Devices[i]
	}
	device := func(id, kind string) (DeviceNode, bool) {
		d, v := lt.devices[id], views[id]
		if d == nil || v == nil {
			return DeviceNode{}, false
		}
		dn := DeviceNode{ID: id, Kind: kind, Online: v.Online, Stale: v.Stale,
			StateHistory: d.main.history(lt.clock)}
		for k := range d.servers {
			dn.Servers = append(dn.Servers, d.servers[k].history(lt.clock))
		}
		return dn, true
	}
	placed := map[string]bool{}
	if ln.Copy > 0 {
		spec := m.cfg.Model.Spec
		for i := range spec.Stations {
			st := &spec.Stations[i]
			dn, ok := device(st.ID, "station")
			if !ok {
				continue
			}
			placed[st.ID] = true
			cell := CellNode{Name: st.ID, Devices: []DeviceNode{dn}}
			if st.Arm != nil {
				if an, ok := device(st.Arm.ID, "arm"); ok {
					cell.Devices = append(cell.Devices, an)
					placed[st.Arm.ID] = true
				}
			}
			ln.Cells = append(ln.Cells, cell)
		}
	}
	// Everything the spec did not place, by id: stations first, then arms
	// and other devices, each in a cell of its own.
	rest := make([]string, 0, len(lt.devices))
	for id := range lt.devices {
		if !placed[id] {
			rest = append(rest, id)
		}
	}
	rank := func(id string) int {
		if lt.devices[id].station {
			return 0
		}
		return 1
	}
	slices.SortFunc(rest, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
	for _, id := range rest {
		kind := "device"
		switch {
		case lt.devices[id].station:
			kind = "station"
		case lt.devices[id].arm:
			kind = "arm"
		}
		if dn, ok := device(id, kind); ok {
			ln.Cells = append(ln.Cells, CellNode{Name: id, Devices: []DeviceNode{dn}})
		}
	}
	return ln
}
