// Package memlimit decides how much memory lightsout may plan to use for a
// batch or a sweep, which estimate their memory before they start (see
// twin/experiment's Memory) and refuse to start when it would not fit.
//
// The budget is, in order: the --max-memory flag, the LIGHTSOUT_MAX_MEMORY
// environment variable, or else half the memory of the machine (or of the
// container, when a cgroup limits it lower), since Go's collector lets the
// heap grow to about twice what is live. Where the machine's memory cannot
// be read (a system without /proc), the default is [Fallback].
package memlimit
