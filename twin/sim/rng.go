package sim

import (
	"math/rand/v2"
	"unsafe"
)

// StreamBytes is about how many bytes a stream of NewStream takes: for
// estimates of a run's memory before it starts.
const StreamBytes = int64(unsafe.Sizeof(rand.Rand{}) + unsafe.Sizeof(rand.PCG{}))

// splitmix64 is a fast, well-mixed 64-bit hash step (Steele, Lea, Flood 2014).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// StreamSeed derives the seed of the random stream called name from the run
// seed. Streams are keyed by name, not by creation order, so adding an entity
// to a line leaves the numbers drawn by every other entity unchanged.
func StreamSeed(seed uint64, name string) uint64 {
	// FNV-1a over the name, then mixed with the run seed.
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return splitmix64(seed ^ splitmix64(h))
}

// NewStream returns the random stream called name for a run with the given
// seed: a PCG generator seeded from StreamSeed.
func NewStream(seed uint64, name string) *rand.Rand {
	s := StreamSeed(seed, name)
	return rand.New(rand.NewPCG(s, splitmix64(s)))
}
