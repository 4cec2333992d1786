package logging

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestFormatsAndLevels(t *testing.T) {
	var buf bytes.Buffer
	log, err := New(&buf, "json", "warn")
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hidden")
	log.Warn("shown")
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil || rec["msg"] != "shown" {
		t.Errorf("json log %q: want one record with msg shown (%v)", buf.String(), err)
	}
	buf.Reset()
	log, err = New(&buf, "console", "info")
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hello")
	if !strings.Contains(buf.String(), "INFO\thello") {
		t.Errorf("console log %q", buf.String())
	}
	for _, bad := range [][2]string{{"xml", "info"}, {"json", "loud"}} {
		if _, err := New(&buf, bad[0], bad[1]); err == nil {
			t.Errorf("format %q level %q accepted", bad[0], bad[1])
		}
	}
}
