package sparkplug

import (
	"errors"
	"testing"
)

func TestStateTCK(t *testing.T) {
	t.Run("tck-id-host-topic-phid-birth-payload", func(t *testing.T) {
		// Also tck-id-host-topic-phid-birth-qos, -birth-retain and -birth-topic.
		m, err := StateMessage("scada", State{Online: true, Timestamp: t0})
		if err != nil {
			t.Fatal(err)
		}
		if string(m.Payload) != `{"online":true,"timestamp":1700000000000}` {
			t.Fatalf("payload %s", m.Payload)
		}
		if m.QoS != 1 || !m.Retain || m.Topic.String() != "spBv1.0/STATE/scada" {
			t.Fatalf("message %+v", m)
		}
	})
	t.Run("tck-id-host-topic-phid-death-payload", func(t *testing.T) {
		// Also tck-id-host-topic-phid-death-qos, -death-retain and -death-topic.
		m, err := StateMessage("scada", State{Online: false, Timestamp: t0})
		if err != nil {
			t.Fatal(err)
		}
		s, err := UnmarshalState(m.Payload)
		if err != nil || s != (State{Online: false, Timestamp: t0}) {
			t.Fatalf("round trip %+v, %v", s, err)
		}
		if m.QoS != 1 || !m.Retain {
			t.Fatalf("message %+v", m)
		}
	})
	t.Run("bad host id", func(t *testing.T) {
		if _, err := StateMessage("a/b", State{}); !errors.Is(err, ErrInvalidTopic) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestUnmarshalState(t *testing.T) {
	good := map[string]State{
		`{"online":true,"timestamp":5}`:                     {true, 5},
		` { "timestamp" : 0 , "online" : false } `:          {false, 0},
		`{"online":true,"timestamp":18446744073709551615}`:  {true, 1<<64 - 1},
		`{"online":false,"bdSeq":3,"timestamp":7,"x":null}`: {false, 7},
	}
	for in, want := range good {
		if got, err := UnmarshalState([]byte(in)); err != nil || got != want {
			t.Errorf("UnmarshalState(%s) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	bad := []string{
		``, `null`, `[]`, `"ONLINE"`, `ONLINE`, `OFFLINE`, `{`, `{"online":true}`, `{"timestamp":1}`,
		`{"online":"true","timestamp":1}`, `{"online":1,"timestamp":1}`, `{"online":null,"timestamp":1}`,
		`{"online":true,"timestamp":-1}`, `{"online":true,"timestamp":1.5}`, `{"online":true,"timestamp":"1"}`,
		`{"online":true,"timestamp":1e3}`, `{"online":true,"timestamp":18446744073709551616}`,
		`{"Online":true,"timestamp":1}`, `{"online":true,"timestamp":1} x`,
	}
	for _, in := range bad {
		if _, err := UnmarshalState([]byte(in)); !errors.Is(err, ErrInvalidState) {
			t.Errorf("UnmarshalState(%s) = %v, want ErrInvalidState", in, err)
		}
	}
}

func FuzzStateJSON(f *testing.F) {
	f.Add([]byte(`{"online":true,"timestamp":5}`))
	f.Add([]byte(`{"online":false,"timestamp":0,"bdSeq":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := UnmarshalState(b)
		if err != nil {
			return
		}
		again, err := UnmarshalState(MarshalState(s))
		if err != nil || again != s {
			t.Fatalf("re-encoded %+v decodes to %+v, %v", s, again, err)
		}
	})
}
