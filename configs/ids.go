package configs

import (
	"errors"
	"fmt"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// ids adds the problems of the ids a line publishes under on Sparkplug, as
// the edge would find them when it starts: the line's name is the prefix
// of its edge node ids (name-L1, name-L2 …), and its stations and arms are
// the devices of each node. Each must be a valid topic level
// (sparkplug.ValidateID: no '/', '+', '#' or NUL), and no arm may share a
// station's id. An id that already has a problem (missing, duplicate, or
// refused by the station's own rule) is not reported twice.
func (ps *problems) ids(spec *twin.Spec) {
	check := func(path, what, becomes, id string) {
		if id == "" || ps.has(path) {
			return
		}
		if err := sparkplug.ValidateID(what, id); err != nil {
			reason := err.Error()
			var te *sparkplug.TopicError
			if errors.As(err, &te) {
				reason = te.Reason
			}
			ps.add(path, fmt.Sprintf("%q: %s (it %s: no '/', '+', '#' or NUL)", id, reason, becomes), false)
		}
	}
	check("name", "name", "prefixes the Sparkplug edge node ids", spec.Name)
	stations := make(map[string]int, len(spec.Stations))
	for i := range spec.Stations {
		id := spec.Stations[i].ID
		check(fmt.Sprintf("stations[%d].id", i), "station id", "becomes a Sparkplug device id", id)
		if _, dup := stations[id]; !dup {
			stations[id] = i
		}
	}
	for j := range spec.Arms {
		id, path := spec.Arms[j].ID, fmt.Sprintf("arms[%d].id", j)
		check(path, "arm id", "becomes a Sparkplug device id", id)
		if i, clash := stations[id]; clash && id != "" && !ps.has(path) {
			ps.add(path, fmt.Sprintf("%q is also the id of stations[%d]: stations and arms are devices of one edge node, so their ids must differ", id, i), false)
		}
	}
}
