//go:build !linux

package atomicfile

import "errors"

// exchange cannot swap two paths in one step here.
func exchange(a, b string) error { return errors.ErrUnsupported }
