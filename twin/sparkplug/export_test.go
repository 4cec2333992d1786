package sparkplug

// What the external tests (package sparkplug_test, which take their edge
// node from sparkplugtest) use of the internal ones: the fuzz test's
// seeds and its round-trip check.
var (
	GoldenBytes = goldenBytes
	GoldenDeath = goldenDeath
	BenchDDATA  = benchDDATA
	SamePayload = samePayload
)
