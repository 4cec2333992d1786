package edge

import (
	"errors"
	"fmt"
	"math"

	"github.com/lightsout-sim/lightsout/robots"
	"github.com/lightsout-sim/lightsout/stations"
	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// ErrCommand is matched by every error HandleCommand returns for a command
// it could not apply (besides the sparkplug errors for malformed ones).
var ErrCommand = errors.New("edge: bad command")

// HandleCommand applies an NCMD or DCMD received on topic. An NCMD with
// "Node Control/Rebirth" = true returns the full birth sequence with the
// line's current values, to publish before any further data. A DCMD to a
// station or arm device is turned into [twin.Command]s given to the line
// with Line.Do, so they are logged and replayable, and take effect at the
// line's current time; their effect shows in the next Update.
//
// Device commands: "Command/Break" = true breaks, "Command/Repair" = true
// repairs (false does nothing); on a station "Command/Server" (from 1) in
// the same DCMD picks the server, else Break picks the first server not
// broken and Repair the first broken or down one. "Command/Buffer" sets a
// station's input buffer capacity (-1: unbounded). On a station,
// "Command/Hold", "Command/Unhold" and "Command/Reset" = true hold the
// station (it finishes the units under way and starts no new one), unhold
// it, or reset it (repair every broken or down server and unhold);
// "Command/Speed" (Float) sets its relative speed, 1 being nominal, more
// than 0 and at most stations.MaxSpeed. On an arm, "Command/Reset" = true
// repairs the arm if it is broken or down, and does nothing otherwise.
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
	server := -1
	var errs []error
	for _, w := range writes {
		if w.Metric == d.cmds.server && !w.Null {
			v, _ := w.Value.Int64()
			server = int(v) - 1
		}
	}
	for _, w := range writes {
		if w.Null {
			errs = append(errs, fmt.Errorf("%w: %s %q: null", ErrCommand, t.Device, w.Name))
			continue
		}
		var cmd twin.Command
		switch w.Metric {
		case d.cmds.server:
			continue
		case d.cmds.brk, d.cmds.repair:
			if on, _ := w.Value.Boolean(); !on {
				continue
			}
			cmd = n.breakRepair(d, t.Device, w.Metric == d.cmds.brk, server)
		case d.cmds.hold, d.cmds.unhold, d.cmds.reset:
			if on, _ := w.Value.Boolean(); !on {
				continue
			}
			var ok bool
			if cmd, ok = n.holdReset(d, t.Device, w.Metric); !ok {
				continue
			}
		case d.cmds.speed:
			v, _ := w.Value.Float64()
			// Command/Speed is a 32-bit Float: 0.8 arrives as
			// 0.800000011920929. Six decimals give back what was meant.
			v = math.Round(v*1e6) / 1e6
			cmd = twin.Command{Kind: twin.SetSpeed, Target: t.Device, Speed: v}
		case d.cmds.buffer:
			v, _ := w.Value.Int64()
			if v < -1 {
				errs = append(errs, fmt.Errorf("%w: %s buffer %d: want -1 (unbounded) or more", ErrCommand, t.Device, v))
				continue
			}
			cmd = twin.Command{Kind: twin.SetBuffer, Target: t.Device, Capacity: stations.Capacity(v)}
		default:
			errs = append(errs, fmt.Errorf("%w: %s %q is not a command", ErrCommand, t.Device, w.Name))
			continue
		}
		cmd.Line = n.cfg.Copy
		if err := n.line.Do(cmd); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrCommand, err))
		}
	}
	return errors.Join(errs...)
}

// breakRepair builds the break or repair command for device d; server < 0
// lets it pick the server from the last snapshot.
func (n *Node) breakRepair(d device, id string, brk bool, server int) twin.Command {
	if d.arm {
		if brk {
			return twin.Command{Kind: twin.BreakArm, Target: id}
		}
		return twin.Command{Kind: twin.RepairArm, Target: id}
	}
	kind := twin.RepairStation
	if brk {
		kind = twin.BreakStation
	}
	if server < 0 {
		server = n.pickServer(d.index, brk)
	}
	return twin.Command{Kind: kind, Target: id, Server: server}
}

// holdReset builds the hold, unhold or reset command (by its metric) for
// device d. An arm has only reset, which is a repair, and only when the arm
// is broken or down: ok is false when there is nothing to do.
func (n *Node) holdReset(d device, id string, metric sparkplug.MetricID) (cmd twin.Command, ok bool) {
	if d.arm {
		n.line.SnapshotInto(&n.snap)
		a := &n.snap.Arms[n.cfg.Copy*len(n.line.Spec().Arms)+d.index]
		if !a.Broken && a.Phase != robots.Down {
			return twin.Command{}, false
		}
		return twin.Command{Kind: twin.RepairArm, Target: id}, true
	}
	switch metric {
	case d.cmds.hold:
		return twin.Command{Kind: twin.HoldStation, Target: id}, true
	case d.cmds.unhold:
		return twin.Command{Kind: twin.UnholdStation, Target: id}, true
	}
	return twin.Command{Kind: twin.ResetStation, Target: id}, true
}

// pickServer returns the first server of station i that is not broken (for
// a break) or that is broken or down (for a repair), else 0.
func (n *Node) pickServer(i int, brk bool) int {
	n.line.SnapshotInto(&n.snap)
	st := &n.snap.Stations[n.cfg.Copy*len(n.line.Spec().Stations)+i]
	for k, v := range st.Servers {
		if brk && !v.Broken || !brk && (v.Broken || v.Phase == stations.Down) {
			return k
		}
	}
	return 0
}
