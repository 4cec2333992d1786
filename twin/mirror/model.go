package mirror

import (
	"errors"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/packml"
)

// A Model says which mirrored edge nodes are a line the twin has a model
// of: copy k (from 0) of Spec is edge node packml.NodeID(Prefix, k), in
// Group when Group is set (in any group otherwise).
type Model struct {
	Spec   *twin.Spec
	Group  string
	Prefix string
}

// CopyOf returns the copy of the modelled line (from 0) that edge node
// node of group publishes; false when there is no model or the node is
// not one of its copies.
func (m *Model) CopyOf(group, node string) (int, bool) {
	if m == nil || m.Spec == nil || (m.Group != "" && group != m.Group) {
		return 0, false
	}
	return packml.CopyOf(m.Prefix, node, m.Spec.Lines)
}

// ErrNoModel is returned (wrapped) by what needs a model of the line when
// none is loaded.
var ErrNoModel = errors.New("no model of the line is loaded: start the twin with --config to forecast and fork")

// ErrNoState is returned (wrapped) when the mirror does not hold what a
// State needs (a copy's edge node, a device, the simulated time).
var ErrNoState = errors.New("the mirror cannot give the line's state yet")
