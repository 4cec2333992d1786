package sparkplug

import (
	"errors"
	"strings"
	"testing"
)

func TestTopicTCK(t *testing.T) {
	t.Run("tck-id-topic-structure", func(t *testing.T) {
		// Also tck-id-topics-*-topic for every message type and
		// tck-id-host-topic-phid-birth-topic: format and parse round trip.
		for _, c := range []struct {
			topic Topic
			text  string
		}{
			{NodeTopic("g", NBIRTH, "n"), "spBv1.0/g/NBIRTH/n"},
			{NodeTopic("g", NDEATH, "n"), "spBv1.0/g/NDEATH/n"},
			{NodeTopic("g", NDATA, "n"), "spBv1.0/g/NDATA/n"},
			{NodeTopic("g", NCMD, "n"), "spBv1.0/g/NCMD/n"},
			{DeviceTopic("g", DBIRTH, "n", "d"), "spBv1.0/g/DBIRTH/n/d"},
			{DeviceTopic("g", DDEATH, "n", "d"), "spBv1.0/g/DDEATH/n/d"},
			{DeviceTopic("g", DDATA, "n", "d"), "spBv1.0/g/DDATA/n/d"},
			{DeviceTopic("g", DCMD, "n", "d"), "spBv1.0/g/DCMD/n/d"},
			{StateTopic("scada-1"), "spBv1.0/STATE/scada-1"},
			{DeviceTopic("Plant 1", DDATA, "Line A", "Pick & Place ✓"), "spBv1.0/Plant 1/DDATA/Line A/Pick & Place ✓"},
			{NodeTopic("STATE", NDATA, "n"), "spBv1.0/STATE/NDATA/n"},
		} {
			if got := c.topic.String(); got != c.text {
				t.Errorf("String() = %q, want %q", got, c.text)
			}
			got, err := ParseTopic(c.text)
			if err != nil || got != c.topic {
				t.Errorf("ParseTopic(%q) = %+v, %v; want %+v", c.text, got, err, c.topic)
			}
			if err := c.topic.Validate(); err != nil {
				t.Errorf("Validate(%q) = %v", c.text, err)
			}
		}
	})
	bad := []struct {
		id, topic, reason string
	}{
		{"tck-id-topic-structure-namespace-a", "spAv1.0/g/NDATA/n", `namespace is "spAv1.0"`},
		{"tck-id-topic-structure-namespace-valid-group-id", "spBv1.0/g+1/NDATA/n", "group id contains '+'"},
		{"tck-id-topic-structure-namespace-valid-group-id", "spBv1.0//NDATA/n", "group id is empty"},
		{"tck-id-topic-structure-namespace-valid-edge-node-id", "spBv1.0/g/NDATA/n#", "edge node id contains '#'"},
		{"tck-id-topic-structure-namespace-valid-edge-node-id", "spBv1.0/g/NDATA/\xff", "edge node id is not valid UTF-8"},
		{"tck-id-topic-structure-namespace-valid-device-id", "spBv1.0/g/DDATA/n/d+", "device id contains '+'"},
		{"tck-id-topic-structure-namespace-valid-device-id", "spBv1.0/g/DDATA/n/", "device id is empty"},
		{"tck-id-topic-structure-namespace-device-id-associated-message-types", "spBv1.0/g/DBIRTH/n", "DBIRTH topic needs a device id"},
		{"tck-id-topic-structure-namespace-device-id-non-associated-message-types", "spBv1.0/g/NDATA/n/d", "NDATA topic must not have a device id"},
		{"unknown message type", "spBv1.0/g/NDATUM/n", `unknown message type "NDATUM"`},
		{"message type is case sensitive", "spBv1.0/g/ndata/n", `unknown message type "ndata"`},
		{"STATE in the type position", "spBv1.0/g/STATE/n", `unknown message type "STATE"`},
		{"too many levels", "spBv1.0/g/DDATA/n/d/x", "got 6 levels"},
		{"too few levels", "spBv1.0/g/NDATA", "got 3 levels"},
		{"empty host id", "spBv1.0/STATE/", "host id is empty"},
		{"host id with wildcard", "spBv1.0/STATE/#", "host id contains '#'"},
		{"NUL in id", "spBv1.0/g/NDATA/a\x00b", "edge node id contains NUL"},
	}
	for _, c := range bad {
		t.Run(c.id, func(t *testing.T) {
			_, err := ParseTopic(c.topic)
			var te *TopicError
			if !errors.Is(err, ErrInvalidTopic) || !errors.As(err, &te) || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("ParseTopic(%q) = %v; want a TopicError containing %q", c.topic, err, c.reason)
			}
		})
	}
}

func TestTopicValidate(t *testing.T) {
	for _, c := range []struct {
		topic  Topic
		reason string
	}{
		{Topic{Group: "g", Type: NDATA, EdgeNode: "n", Device: "d"}, "must not have a device id"},
		{Topic{Group: "g", Type: DDATA, EdgeNode: "n"}, "device id is empty"},
		{Topic{Type: STATE, HostID: "h", Group: "g"}, "STATE topic has a group"},
		{Topic{Group: "g", EdgeNode: "n"}, "unknown message type"},
		{Topic{Namespace: "spBv2.0", Group: "g", Type: NDATA, EdgeNode: "n"}, "namespace"},
		{Topic{Group: "g", Type: NDATA, EdgeNode: "n", HostID: "h"}, "host id on a NDATA topic"},
	} {
		if err := c.topic.Validate(); err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("Validate(%+v) = %v, want %q", c.topic, err, c.reason)
		}
	}
	if err := ValidateID("device id", "a/b"); !errors.Is(err, ErrInvalidTopic) || !strings.Contains(err.Error(), "device id contains '/'") {
		t.Errorf("ValidateID = %v", err)
	}
}

func TestMessageTypeRules(t *testing.T) {
	for _, c := range []struct {
		t                     MessageType
		device, seq, retained bool
		qos                   byte
	}{
		{NBIRTH, false, true, false, 0},
		{NDEATH, false, false, false, 1},
		{DBIRTH, true, true, false, 0},
		{DDEATH, true, true, false, 0},
		{NDATA, false, true, false, 0},
		{DDATA, true, true, false, 0},
		{NCMD, false, false, false, 0},
		{DCMD, true, false, false, 0},
		{STATE, false, false, true, 1},
	} {
		if c.t.IsDevice() != c.device || c.t.HasSeq() != c.seq || c.t.Retain() != c.retained || c.t.QoS() != c.qos {
			t.Errorf("%v: device %v seq %v retain %v qos %d", c.t, c.t.IsDevice(), c.t.HasSeq(), c.t.Retain(), c.t.QoS())
		}
		if got, ok := ParseMessageType(c.t.String()); !ok || got != c.t {
			t.Errorf("ParseMessageType(%v) = %v, %v", c.t, got, ok)
		}
	}
	if s := MessageType(42).String(); s != "MessageType(42)" {
		t.Errorf("String() = %q", s)
	}
}
