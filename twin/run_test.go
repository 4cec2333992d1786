package twin_test

import (
	"testing"

	"github.com/lightsout-sim/lightsout/twin"
)

func TestReplicationSeed(t *testing.T) {
	seen := map[uint64]int{}
	for i := range 1000 {
		s := twin.ReplicationSeed(1, i)
		if j, dup := seen[s]; dup {
			t.Fatalf("replications %d and %d share seed %d", j, i, s)
		}
		seen[s] = i
		if twin.ReplicationSeed(1, i) != s {
			t.Fatal("ReplicationSeed is not a function of its arguments")
		}
	}
	if twin.ReplicationSeed(1, 0) == twin.ReplicationSeed(2, 0) {
		t.Error("different base seeds give the same replication seed")
	}
}
