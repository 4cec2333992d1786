package main

import (
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/lightsout-sim/lightsout/cmd/internal/mqttflags"
	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/twinmode"
	"github.com/lightsout-sim/lightsout/twin/link"
	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// twinFlags are the command line's settings for twin mode: the MQTT flags
// with the broker URL as --twin, and the edge nodes to mirror.
type twinFlags struct {
	mqtt        mqttflags.Flags
	group, node string
	// http is the twin host's HTTP API, for its autopilot's decisions.
	http string
}

// twinSetup is what valid twin flags give: where to attach and as what.
type twinSetup struct {
	broker, group, prefix string
	// http, when set, is the twin host's HTTP API to read its autopilot
	// from.
	http string
	// link holds the broker URL, credentials and TLS; the host sets the
	// client id, Will and callbacks.
	link link.Options
}

// register adds the twin flags to fl.
func (f *twinFlags) register(fl *pflag.FlagSet) {
	f.mqtt.Register(fl, "twin", "attach to a twin over MQTT instead of running the line here: the broker URL, mqtt://host:port or tls://host:port")
	fl.StringVar(&f.group, "twin-group", "lightsout", "with --twin: the Sparkplug group of the edge nodes")
	fl.StringVar(&f.http, "twin-http", "", "with --twin: the twin host's HTTP API (http://host:port, as 'lightsout twin --http'), to draw its autopilot's decisions from /api/autopilot and fill the chart with the hours before the view attached from /api/history")
	fl.StringVar(&f.node, "twin-node", "", "with --twin: the edge node id prefix; copy k is <prefix>-L<k> (default: the config's name)")
}

// on reports whether twin mode was asked for.
func (f *twinFlags) on() bool { return f.mqtt.Broker != "" }

// check validates the twin flags, reporting each problem with add; it
// returns nil without --twin (or when a flag is bad). The node prefix is
// left empty when it defaults to the config's name.
func (f *twinFlags) check(add func(format string, a ...any)) *twinSetup {
	if !f.on() {
		used := f.mqtt.Used()
		if f.group != "lightsout" {
			used = append(used, "--twin-group")
		}
		if f.node != "" {
			used = append(used, "--twin-node")
		}
		if f.http != "" {
			used = append(used, "--twin-http")
		}
		switch len(used) {
		case 0:
		case 1:
			add("%s needs --twin", used[0])
		default:
			add("%s need --twin", strings.Join(used, ", "))
		}
		return nil
	}
	o, problems := f.mqtt.Options()
	for _, p := range problems {
		add("%s", p)
	}
	ok := len(problems) == 0
	if err := sparkplug.ValidateID("--twin-group", f.group); err != nil {
		add("%v", err)
		ok = false
	}
	if f.node != "" {
		if err := sparkplug.ValidateID("--twin-node", f.node); err != nil {
			add("%v", err)
			ok = false
		}
	}
	if f.http != "" {
		if _, err := twinmode.NewAutopilotPoll(f.http, time.Second, nil); err != nil {
			add("--twin-http %v", err)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return &twinSetup{broker: f.mqtt.Broker, group: f.group, prefix: f.node, link: o, http: f.http}
}
