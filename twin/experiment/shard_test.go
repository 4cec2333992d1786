package experiment

import (
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want Shard
		err  string // substring of the error; "" for none
	}{
		{"1/3", nil, Shard{1, 3}, ""},
		{"0/1", nil, Shard{0, 1}, ""},
		{"/3", map[string]string{EnvJobIndex: "2"}, Shard{2, 3}, ""},
		{"/3", map[string]string{EnvSlurmID: "0"}, Shard{0, 3}, ""},
		{"/3", map[string]string{EnvSlurmID: "3", EnvSlurmMin: "1"}, Shard{2, 3}, ""},
		{"auto", map[string]string{EnvSlurmID: "1", EnvSlurmCount: "4"}, Shard{1, 4}, ""},
		{"1/4", map[string]string{EnvSlurmID: "1", EnvSlurmCount: "4"}, Shard{1, 4}, ""},
		{"/3", map[string]string{EnvJobIndex: "1", EnvSlurmID: "1"}, Shard{1, 3}, ""},
		// Errors.
		{"3", nil, Shard{}, "want i/N"},
		{"3/3", nil, Shard{}, "out of range for 3 shards (0-2)"},
		{"-1/3", nil, Shard{}, "not a whole number >= 0"},
		{"1/0", nil, Shard{}, "not a whole number >= 1"},
		{"/3", nil, Shard{}, "neither is set"},
		{"auto", map[string]string{EnvJobIndex: "1"}, Shard{}, "pass --shard /N"},
		{"1/3", map[string]string{EnvJobIndex: "2"}, Shard{}, "conflicts with JOB_COMPLETION_INDEX (shard 2)"},
		{"/3", map[string]string{EnvJobIndex: "1", EnvSlurmID: "2"}, Shard{}, "ambiguous"},
		{"/3", map[string]string{EnvSlurmID: "1", EnvSlurmCount: "4"}, Shard{}, "says 3 shards but SLURM_ARRAY_TASK_COUNT=4"},
		{"/3", map[string]string{EnvSlurmID: "x"}, Shard{}, `SLURM_ARRAY_TASK_ID="x"`},
		{"/3", map[string]string{EnvSlurmID: "2", EnvSlurmStep: "2"}, Shard{}, "step 1"},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.flag, func(k string) string { return tt.env[k] })
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParseShard(%q, %v) = %v, %v; want %v", tt.flag, tt.env, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseShard(%q, %v) error %v; want one containing %q", tt.flag, tt.env, err, tt.err)
		}
	}
}

func TestShardPoints(t *testing.T) {
	var all []int
	for i := range 3 {
		all = append(all, Shard{i, 3}.Points(8)...)
	}
	if got := joinInts(all); got != "0, 3, 6, 1, 4, 7, 2, 5" {
		t.Errorf("points of shards 0-2 of 3: %s", got)
	}
	if got := joinInts(Shard{}.Points(3)); got != "0, 1, 2" {
		t.Errorf("zero shard: %s", got)
	}
}
