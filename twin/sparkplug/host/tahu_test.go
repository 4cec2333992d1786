package host

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// tahuDir holds the node script of the interoperability test and its npm
// dependencies (Eclipse Tahu's JavaScript sparkplug-payload), installed by
// `make deps` (npm ci).
const tahuDir = "testdata/tahu"

// A tahuRequest asks the node script to decode payloads we encoded and to
// encode payloads for us to decode.
type tahuRequest struct {
	Decode []tahuBytes  `json:"decode"`
	Encode []tahuObject `json:"encode"`
}

// tahuBytes is an encoded payload (base64 in JSON).
type tahuBytes struct {
	Name    string `json:"name"`
	Payload []byte `json:"payload"`
}

// tahuObject is a payload as Tahu's library represents it.
type tahuObject struct {
	Name    string      `json:"name"`
	Payload tahuPayload `json:"payload"`
}

// tahuPayload is Tahu's payload object; 64-bit numbers travel as decimal
// strings.
type tahuPayload struct {
	Timestamp string       `json:"timestamp,omitempty"`
	Seq       string       `json:"seq,omitempty"`
	Metrics   []tahuMetric `json:"metrics"`
}

// tahuMetric is Tahu's metric object: Type is a datatype name such as
// "Int64", Value a JSON value (null for a null metric; Int64, UInt64 and
// DateTime values as decimal strings).
type tahuMetric struct {
	Name      string          `json:"name,omitempty"`
	Alias     string          `json:"alias,omitempty"`
	Type      string          `json:"type,omitempty"`
	Value     json.RawMessage `json:"value,omitempty"`
	Timestamp string          `json:"timestamp,omitempty"`
	// HasValue, in decoded payloads, says Tahu produced a value other than
	// null: it reads one only through the metric's datatype.
	HasValue bool `json:"hasValue,omitempty"`
}

// tahuAnswer is the node script's answer, in the order of the request.
type tahuAnswer struct {
	Version string       `json:"version"`
	Decoded []tahuObject `json:"decoded"`
	Encoded []tahuBytes  `json:"encoded"`
}

// runTahu runs the node script on req. It skips the test when node or the
// installed node_modules are absent.
func runTahu(t *testing.T, req tahuRequest) tahuAnswer {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: this interoperability test needs Node.js and npm (apt-get install nodejs npm, then make deps)")
	}
	if _, err := os.Stat(filepath.Join(tahuDir, "node_modules", "sparkplug-payload", "package.json")); err != nil {
		t.Skipf("Eclipse Tahu's sparkplug-payload is not installed: run make deps (npm ci in twin/sparkplug/host/%s)", tahuDir)
	}
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "interop.js")
	cmd.Dir = tahuDir
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node interop.js: %v\n%s", err, stderr.Bytes())
	}
	var ans tahuAnswer
	if err := json.Unmarshal(out, &ans); err != nil {
		t.Fatalf("node interop.js answered %q: %v", out, err)
	}
	if len(ans.Decoded) != len(req.Decode) || len(ans.Encoded) != len(req.Encode) {
		t.Fatalf("node interop.js answered %d decoded and %d encoded payloads, want %d and %d",
			len(ans.Decoded), len(ans.Encoded), len(req.Decode), len(req.Encode))
	}
	t.Logf("Eclipse Tahu sparkplug-payload %s", ans.Version)
	return ans
}

// rawJSON returns v as a JSON value for a tahuMetric.
func rawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// sameAsTahu reports how Tahu's decoding of a payload differs from ours,
// field by field: timestamps, seq, and every metric's name, alias,
// datatype, value and timestamp.
func sameAsTahu(ours *sparkplug.Payload, tahu *tahuPayload) []string {
	var diffs []string
	differ := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if want := decimal(ours.Timestamp, ours.Timestamp != 0); tahu.Timestamp != want {
		differ("timestamp %q, want %q", tahu.Timestamp, want)
	}
	if want := decimal(ours.Seq, ours.HasSeq); tahu.Seq != want {
		differ("seq %q, want %q", tahu.Seq, want)
	}
	if len(tahu.Metrics) != len(ours.Metrics) {
		differ("%d metrics, want %d", len(tahu.Metrics), len(ours.Metrics))
		return diffs
	}
	for i := range ours.Metrics {
		m, tm := &ours.Metrics[i], &tahu.Metrics[i]
		if tm.Name != m.Name {
			differ("metrics[%d] name %q, want %q", i, tm.Name, m.Name)
		}
		if want := decimal(m.Alias, m.HasAlias); tm.Alias != want {
			differ("metrics[%d] %q alias %q, want %q", i, m.Name, tm.Alias, want)
		}
		if want := m.Datatype.String(); tm.Type != want && (m.Datatype != sparkplug.Unknown || tm.Type != "") {
			differ("metrics[%d] %q type %q, want %q", i, m.Name, tm.Type, want)
		}
		if want := decimal(m.Timestamp, m.Timestamp != 0); tm.Timestamp != want {
			differ("metrics[%d] %q timestamp %q, want %q", i, m.Name, tm.Timestamp, want)
		}
		switch {
		case m.Datatype == sparkplug.Unknown:
			differ("metrics[%d] %q has no datatype: Tahu reads no value without one", i, m.Name)
		case !m.IsNull && !tm.HasValue:
			differ("metrics[%d] %q: Tahu read no value", i, m.Name)
		case m.IsNull && tm.HasValue:
			differ("metrics[%d] %q: Tahu read a value for a null metric", i, m.Name)
		}
		if err := sameValue(m, tm.Value); m.Datatype != sparkplug.Unknown && err != nil {
			differ("metrics[%d] %q: %v", i, m.Name, err)
		}
	}
	return diffs
}

// decimal formats u, or returns "" when it is absent.
func decimal(u uint64, present bool) string {
	if !present {
		return ""
	}
	return strconv.FormatUint(u, 10)
}

// sameValue reports whether raw, a value as Tahu decoded it, is m's value.
func sameValue(m *sparkplug.Metric, raw json.RawMessage) error {
	if m.IsNull {
		if string(raw) != "null" {
			return fmt.Errorf("value %s, want null", raw)
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var got any
	if err := dec.Decode(&got); err != nil {
		return fmt.Errorf("value %s: %v", raw, err)
	}
	var want any
	v := m.Value
	switch m.Datatype {
	case sparkplug.Boolean:
		want, _ = v.Boolean()
	case sparkplug.String, sparkplug.Text, sparkplug.UUID:
		want, _ = v.Text()
	case sparkplug.Int8, sparkplug.Int16, sparkplug.Int32, sparkplug.UInt8, sparkplug.UInt16:
		n, _ := v.Int64()
		want = json.Number(strconv.FormatInt(n, 10))
	case sparkplug.Int64:
		n, _ := v.Int64()
		want = strconv.FormatInt(n, 10)
	case sparkplug.UInt64, sparkplug.DateTime:
		n, _ := v.Uint64()
		want = strconv.FormatUint(n, 10)
	case sparkplug.Float, sparkplug.Double:
		f, _ := v.Float64()
		n, ok := got.(json.Number)
		g, err := n.Float64()
		if !ok || err != nil || (m.Datatype == sparkplug.Float && float32(g) != float32(f)) || (m.Datatype == sparkplug.Double && g != f) {
			return fmt.Errorf("value %s, want %v", raw, f)
		}
		return nil
	default:
		return fmt.Errorf("no comparison for datatype %v", m.Datatype)
	}
	if got != want {
		return fmt.Errorf("value %s, want %v", raw, want)
	}
	return nil
}
