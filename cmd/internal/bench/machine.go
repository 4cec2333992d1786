package bench

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
)

// describeMachine describes this machine and Go runtime.
func describeMachine() Machine {
	return Machine{
		CPU: cpuModel(), Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
	}
}

// cpuModel returns the CPU's model name from /proc/cpuinfo, or "unknown".
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// clockTicks is the unit of the CPU times in /proc/self/stat (USER_HZ,
// 100 on every Linux architecture Go supports).
const clockTicks = 100

// processCPUSeconds returns the CPU time (user and system) the process has
// used so far, from /proc/self/stat; false where that cannot be read.
func processCPUSeconds() (float64, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) from the text of
// /proc/PID/stat. The command name (field 2) is in parentheses and may hold
// spaces, so the fields are counted from the last ')'.
func parseStatCPU(stat string) (float64, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return float64(u+s) / clockTicks, true
}

// peakMemory returns the process's peak resident set (VmHWM) on Linux;
// elsewhere, the memory the Go runtime holds from the system now.
func peakMemory() Memory {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		if n, ok := parseVmHWM(string(b)); ok {
			return Memory{Bytes: n, Source: "VmHWM"}
		}
	}
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	var n uint64
	if s[0].Value.Kind() == metrics.KindUint64 {
		n = s[0].Value.Uint64()
	}
	return Memory{Bytes: n, Source: "go-runtime-total"}
}

// parseVmHWM finds the "VmHWM:  1234 kB" line of /proc/self/status.
func parseVmHWM(status string) (uint64, bool) {
	for _, line := range strings.Split(status, "\n") {
		v, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}
