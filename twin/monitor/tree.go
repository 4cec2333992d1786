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
	Site  string     `json:"site"`
	Areas []AreaNode `json:"areas"`
}

// An AreaNode is one Sparkplug group.
type AreaNode struct {
	Name  string     `json:"name"`
	Lines []LineNode `json:"lines"`
}

// A LineNode is one edge node. Times are ms since the Unix epoch taken from
// metric timestamps (the line's clock), never from the host's clock.
type LineNode struct {
	Name   string `json:"name"`
	Online bool   `json:"online"`
	Stale  bool   `json:"stale"`
	// Copy is the copy of the modelled line the node publishes, from 1 as
	// in its name (<node>-L1 is copy 1); 0 when it is not a modelled line.
	Copy int `json:"copy"`
	// First is when the host first saw the line, Clock the latest metric
	// timestamp; ElapsedS is the time between them and UnknownS the part
	// of it the node was dead or not yet born.
	First    uint64     `json:"first"`
	Clock    uint64     `json:"clock"`
	ElapsedS float64    `json:"elapsed_s"`
	UnknownS float64    `json:"unknown_s"`
	Cells    []CellNode `json:"cells"`
}

// A CellNode is one work cell: a station with the arms that serve it
// (when the spec is known), or an arm or other device on its own. An arm
// that serves several stations appears in the cell of each.
type CellNode struct {
	Name    string       `json:"name"`
	Devices []DeviceNode `json:"devices"`
}

// A DeviceNode is one device (a station or an arm) with its PackML state.
// For a multi-server station Servers holds each server's history.
type DeviceNode struct {
	ID string `json:"id"`
	// Kind is "station", "arm" or "device".
	Kind   string `json:"kind"`
	Online bool   `json:"online"`
	Stale  bool   `json:"stale"`
	StateHistory
	Servers []StateHistory `json:"servers,omitempty"`
}

// A StateHistory is the PackML state of a machine and the time it spent in
// each state. The times add up to the line's elapsed time: TimeInState
// (the states seen) plus UnknownS (dead, stale or not yet born).
type StateHistory struct {
	// State and StateNumber are the current (or last known) state.
	State       string `json:"state"`
	StateNumber int32  `json:"state_number"`
	// Since is the metric timestamp (ms) of the last change of state; a
	// rebirth that repeats the state keeps it. InStateS is Clock - Since.
	Since       uint64      `json:"since"`
	InStateS    float64     `json:"in_state_s"`
	TimeInState []StateTime `json:"time_in_state"`
	UnknownS    float64     `json:"unknown_s"`
}

// A StateTime is the time accumulated in one PackML state.
type StateTime struct {
	State   string  `json:"state"`
	Number  int32   `json:"number"`
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
