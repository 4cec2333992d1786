package sparkplug_test

import (
	"fmt"

	"github.com/lightsout-sim/lightsout/twin/sparkplug"
)

// A decoder loop reuses one Payload; errors can be counted by kind.
func ExampleUnmarshal() {
	var p sparkplug.Payload
	for _, b := range [][]byte{
		{0x08, 0x2A, 0x18, 0x07}, // timestamp 42, seq 7
		{0x08, 0x80},             // truncated varint
	} {
		if err := sparkplug.Unmarshal(b, &p); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(p.Timestamp, p.Seq, p.HasSeq)
	}
	// Output:
	// 42 7 true
	// sparkplug: malformed payload at byte 1 (timestamp): truncated field
}
