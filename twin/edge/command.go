package edge

import (
	"errors"
	"fmt"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/twin/packml"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// ErrCommand is matched by every error HandleCommand returns for a command
// it could not apply (besides the sparkplug errors for malformed ones). It
// is packml.ErrCommand: the same error the contract's decoding returns.
var ErrCommand = packml.ErrCommand

// HandleCommand applies an NCMD or DCMD received on topic. An NCMD with
// "Node Control/Rebirth" = true returns the full birth sequence with the
// line's current values, to publish before any further data. A DCMD to a
// station or arm device is decoded as the contract says (packml.Decode)
// and turned into [twin.Command]s given to the line with Line.Do, so they
// are logged and replayable, and take effect at the line's current time;
// their effect shows in the next Update. A Break or Repair that names no
// server acts on the first server that fits, and an arm's Reset repairs
// it only when it is broken or down, both judged from the line's state
// when the command arrives.
//
// Malformed payloads, unknown topics, devices or metrics, writes to
// metrics that are not commands, and commands the line rejects return an
// error; the valid commands of the same message still apply.
func (n *Node) HandleCommand(topic string, payload []byte, nowMs uint64) ([]sparkplug.Message, error) {
	t, err := sparkplug.ParseTopic(topic)
	if err != nil {
		return nil, err
	}
	var p sparkplug.Payload
	if err := sparkplug.Unmarshal(payload, &p); err != nil {
		return nil, err
	}
	res, cmdErr := n.sess.HandleCommand(t, &p, nowMs)
	var out []sparkplug.Message
	if len(res.Messages) > 0 {
		// The session reborn with the values last published; birth again
		// with the current ones.
		if out, err = n.Birth(nowMs); err != nil {
			return nil, err
		}
	}
	if len(res.Writes) > 0 {
		if err := n.apply(t, res.Writes); err != nil {
			return out, errors.Join(cmdErr, err)
		}
	}
	return out, cmdErr
}

// apply turns the writes of one command message into line commands.
func (n *Node) apply(t sparkplug.Topic, writes []sparkplug.Write) error {
	if t.Type != sparkplug.DCMD {
		return fmt.Errorf("%w: node metric %q is not writable", ErrCommand, writes[0].Name)
	}
	d, ok := n.devices[t.Device]
	if !ok {
		return fmt.Errorf("%w: unknown device %q", ErrCommand, t.Device)
	}
	cmds, err := packml.Decode(writes)
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", t.Device, err))
	}
	for _, c := range cmds {
		cmd, ok, err := c.ToTwin(n.target(d, t.Device))
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s: %w", t.Device, err))
		case ok:
			if err := n.line.Do(cmd); err != nil {
				errs = append(errs, fmt.Errorf("%w: %w", ErrCommand, err))
			}
		}
	}
	return errors.Join(errs...)
}

// target describes device d (id) as it is now, for packml.Command.ToTwin.
func (n *Node) target(d device, id string) packml.Target {
	n.line.SnapshotInto(&n.snap)
	spec := n.line.Spec()
	t := packml.Target{Line: n.cfg.Copy, ID: id, Arm: d.arm}
	if d.arm {
		a := &n.snap.Arms[n.cfg.Copy*len(spec.Arms)+d.index]
		t.Down = a.Broken || a.Phase == robots.Down
		return t
	}
	ss := &n.snap.Stations[n.cfg.Copy*len(spec.Stations)+d.index]
	t.Servers, t.Upkeep = ss.Servers, ss.Upkeep
	return t
}
