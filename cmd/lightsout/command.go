package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lightsout-sim/lightsout/cmd/internal/durflag"
	"github.com/lightsout-sim/lightsout/cmd/internal/twinhttp"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/mirror"
	"github.com/lightsout-sim/lightsout/twin/packml"
)

// commandFlags are the flags of "lightsout command".
type commandFlags struct {
	client              twinhttp.ClientFlags
	group, node, device string
	value               float64
	server              int
	timeout             time.Duration
}

// newCommandCmd builds "lightsout command": it asks a running twin to send
// a Sparkplug DCMD to a station or arm.
func newCommandCmd(a *app) *cobra.Command {
	var f commandFlags
	cmd := &cobra.Command{
		Use:   "command <" + strings.Join(packml.ActionNames(), "|") + ">",
		Short: "Ask a running twin to send a command to a station or arm of a mirrored line",
		Long: `command asks a running twin ('lightsout twin', through its HTTP API:
POST /api/command) to send a Sparkplug B DCMD to one device of an edge node
it mirrors. The twin checks that the node and device are online and have the
command's metric, types the value as their birth defines it and publishes
the DCMD; the edge node applies it at once.

Commands:
  hold     finish the units in progress and start no new one (Command/Hold)
  unhold   start units again after a hold (Command/Unhold)
  reset    repair every broken server and unhold (Command/Reset)
  break    break a server, --server k or the first one working (Command/Break)
  repair   repair a server, --server k or the first one down (Command/Repair)
  speed    set the relative speed, --value (1 nominal) (Command/Speed)
  buffer   set the input buffer capacity, --value (-1 unbounded) (Command/Buffer)

The twin needs its API token for a command: it is read from
--api-token-file or $LIGHTSOUT_API_TOKEN (never from a flag's value) and
sent as "Authorization: Bearer <token>". For an https:// twin whose
certificate a private CA signs, --ca-file names that CA.

Exit status: 0 sent, 1 the twin could not send it (not connected to a
broker, unreachable), 2 bad input or refused by the twin (no or a wrong
token, unknown node, device or command, offline device).

Examples:
  export LIGHTSOUT_API_TOKEN=...     # the twin's token
  lightsout command --node demo-line-L1 --device assembly hold
  lightsout command --twin https://twin.plant:8443 --ca-file plant-ca.pem --api-token-file token \
                    --group plant --node demo-line-L1 --device placer --value 0.8 speed
  lightsout command --node demo-line-L1 --device test --value 8 buffer`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runCommand(cmd.Context(), a, cmd, &f, args[0])
		}),
	}
	fl := cmd.Flags()
	f.client.Register(fl)
	fl.StringVar(&f.group, "group", "", "Sparkplug group of the edge node (default: the twin's --group, or the one group the twin mirrors the node in)")
	fl.StringVar(&f.node, "node", "", "edge node id, e.g. demo-line-L1 (required)")
	fl.StringVar(&f.device, "device", "", "device: a station or arm id (required)")
	fl.Float64Var(&f.value, "value", 0, "the speed (relative, 1 nominal) or buffer capacity (-1 unbounded)")
	fl.IntVar(&f.server, "server", 0, "server (from 1) to break or repair (default: the twin's edge picks)")
	durflag.Var(fl, &f.timeout, "timeout", 10*time.Second, "how long to wait for the twin's answer")
	return cmd
}

// asFlag renames the CommandRequest field a validation message starts
// with to the flag that sets it ("value: …" becomes "--value: …").
func asFlag(msg string) string {
	for _, f := range []string{"group", "node", "device", "value", "server"} {
		if strings.HasPrefix(msg, f+":") {
			return "--" + msg
		}
	}
	return msg
}

// runCommand checks the request, posts it and reports the answer.
func runCommand(ctx context.Context, a *app, cmd *cobra.Command, f *commandFlags, name string) error {
	client, problems := f.client.Client()
	if f.timeout <= 0 {
		problems = append(problems, fmt.Sprintf("--timeout %v: must be positive", f.timeout))
	}
	if len(problems) > 0 {
		return badInputs(problems)
	}
	req := mirror.CommandRequest{Group: f.group, Node: f.node, Device: f.device, Command: name}
	if cmd.Flags().Changed("value") {
		req.Value = &f.value
	}
	if cmd.Flags().Changed("server") {
		req.Server = &f.server
	}
	if _, err := req.Validate(); err != nil {
		msg := strings.TrimPrefix(err.Error(), mirror.ErrBadCommand.Error()+": ")
		return withHint(cmd, asFlag(msg))
	}
	status, answer, err := client.Post(ctx, "api/command", req, f.timeout, 1<<16)
	if err != nil {
		return twinError(err)
	}
	return commandAnswer(a, req, status, answer)
}

// commandAnswer reports the twin's answer: the topic on success, its error
// otherwise (status 2 when it refused the request, 1 when it could not
// send it).
func commandAnswer(a *app, req mirror.CommandRequest, code int, answer []byte) error {
	if code == http.StatusAccepted || code == http.StatusOK {
		var ok api.CommandResponseJSON
		if err := json.Unmarshal(answer, &ok); err != nil || ok.Topic == "" {
			return fmt.Errorf("the twin answered %d with no topic: %q", code, clipAnswer(answer))
		}
		_, err := fmt.Fprintf(a.stdout, "%s sent to %s/%s on %s\n", req.Command, req.Node, req.Device, ok.Topic)
		return err
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(answer, &e); err != nil || e.Error == "" {
		e.Error = fmt.Sprintf("answer %q", clipAnswer(answer))
	}
	if code >= 400 && code < 500 {
		return badInput("the twin refused %s (HTTP %d): %s", req.Command, code, e.Error)
	}
	return fmt.Errorf("the twin could not send %s (HTTP %d): %s", req.Command, code, e.Error)
}

// clipAnswer shortens an unexpected answer for an error message.
func clipAnswer(b []byte) string {
	const n = 200
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
